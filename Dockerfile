# The recorder with GStreamer on Debian 12. Build: docker build -t nvr .
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
      gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x \
      fonts-dejavu-core ca-certificates nodejs npm tzdata \
 && npm install -g deno@2.9.6 \
 && apt-get purge -y npm && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.npm
WORKDIR /app
COPY . .
RUN deno task build && deno install --entrypoint main.ts
EXPOSE 8000
VOLUME ["/app/media", "/app/data"]
# SIGTERM goes to the recorder only; it stops each GStreamer child with SIGINT (EOS).
STOPSIGNAL SIGTERM
CMD ["deno", "run", "--allow-read=.,/etc/localtime,/usr/share/zoneinfo", "--allow-write=./media,./data", "--allow-net", "--allow-env", "--allow-sys=statfs,hostname", "--allow-run=gst-launch-1.0", "main.ts"]
