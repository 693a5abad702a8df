/** Retention with a real camera and a budget of a few hundred kB: recording goes on while old segments go. */
import { assert, assertEquals } from "../support/assert.ts";
import { closedPlaylist, decodeFrames, waitFor } from "../support/harness.ts";
import { startRecording } from "../support/recording_camera.ts";

Deno.test("retention: a small disk budget deletes the oldest segments, never kept ones, recording continues", async () => {
  const rc = await startRecording({
    rtsp: { gop: 25 },
    nvr: { extraArgs: ["--disk-budget=600K", "--retention-interval-seconds=1"] },
    segments: 3,
  });
  const { nvr } = rc;
  try {
    const cam = () => rc.status();
    const day = (await nvr.api("GET", "/api/recordings/gid/1/seq/1/days")).json.days.at(-1);
    const first = (await nvr.api("GET", `/api/recordings/gid/1/seq/1/date/${day}`)).json
      .sessions[0];
    // Keep the first two seconds of the recording.
    const keepEnd = new Date(Date.parse(first.start) + 1500).toISOString();
    const keep = await nvr.api("POST", "/api/camera/seq/1/gid/1/keep", {
      start: first.start,
      end: keepEnd,
      note: "incident",
    });
    assertEquals(keep.status, 201);
    const bad = await nvr.api("POST", "/api/camera/seq/1/gid/1/keep", {
      start: keepEnd,
      end: first.start,
    });
    assertEquals([bad.status, bad.json.fields[0].field], [400, "end"]);

    const storage = await waitFor(
      async () => {
        const s = (await nvr.api("GET", "/api/storage")).json;
        return s.deleted_total.segments >= 3 ? s : undefined;
      },
      "retention to delete segments",
      60_000,
      500,
    );
    assertEquals(storage.budget_bytes, 600 * 1024);
    assert(storage.used_bytes <= 600 * 1024 * 1.3, `used ${storage.used_bytes} near the budget`);
    assertEquals(storage.paused, null);
    assert(storage.cameras[0].used_bytes > 0 && storage.oldest_recording);

    const before = (await cam()).segments;
    await waitFor(async () => (await cam()).segments >= before + 2, "recording continues");
    assertEquals((await cam()).state, "recording");

    const off = await nvr.api("PUT", "/api/camera/record/status", { seq: 1, gid: 1, isRec: 0 });
    const url = off.json.record_url as string;
    await closedPlaylist(url);
    const dayUrl = (await nvr.api("GET", `/api/recordings/gid/1/seq/1/date/${day}`)).json.day_url;
    // Cleaning goes on after the session closed: compare playlists, summaries and day at a moment
    // when no pass ran in between (the session playlists are the same before and after).
    const texts = async (sessions: { record_url: string }[]) =>
      await Promise.all(sessions.map(async (s) => await (await fetch(s.record_url)).text()));
    const { lists, sessions, dayText } = await waitFor(async () => {
      const sessions = (await nvr.api("GET", `/api/recordings/gid/1/seq/1/date/${day}`)).json
        .sessions;
      const lists = await texts(sessions);
      const dayText = await (await fetch(dayUrl)).text();
      const again = await texts(sessions);
      return lists.join() === again.join() ? { lists, sessions, dayText } : undefined;
    }, "a moment between two cleaning passes");
    const uris = lists.map((t) => t.split("\n").filter((l) => l.endsWith(".ts")));
    // The kept span stays in the first session. Deleting after it, in the session being
    // recorded, split that session (a live playlist loses entries only from its start).
    const kept = uris[0].filter((u) => Number(u.split("_")[0]) < Date.parse(keepEnd));
    assert(kept.length >= 1, "the kept span is still listed");
    assertEquals(sessions[0].close_reason, "split for retention");
    assert(sessions.at(-1).record_url === url, "the last session is the one turned off");
    assert(dayText.includes("#EXT-X-DISCONTINUITY"), "a hole after the kept span");
    const listed = uris.reduce((n, u) => n + u.length, 0);
    assert(listed < (await cam()).segments, "older segments were removed from the playlists");
    // A pass may delete a segment while ffprobe reads the list: read it again then.
    const decodes = (u: string) => waitFor(async () => (await decodeFrames(u)) > 0, `${u} decodes`);
    await decodes(url); // the cleaned session still decodes
    sessions.forEach((s: { segments: number }, i: number) =>
      assertEquals(s.segments, uris[i].length, "summary matches the playlist")
    );
    assertEquals(dayText.split("\n").filter((l) => l.endsWith(".ts")).length, listed);
    await decodes(dayUrl); // the day playlist still plays
    const metrics = await (await fetch(`${nvr.base}/metrics`)).text();
    assert(/nvr_retention_deleted_segments_total [1-9]/.test(metrics));
  } finally {
    await rc.stop();
  }
});
