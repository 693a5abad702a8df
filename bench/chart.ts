/** A small SVG line chart (log-scale y), no dependencies. */

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  series: Series[],
): string {
  const W = 640, H = 380, L = 70, R = 150, T = 40, B = 50;
  const pts = series.flatMap((s) => s.points).filter((p) => p.y > 0);
  const xs = [...new Set(pts.map((p) => p.x))].sort((a, b) => a - b);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...pts.map((p) => p.y))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...pts.map((p) => p.y))));
  const xMax = Math.max(...xs);
  const px = (x: number) => L + (Math.log2(x) / Math.log2(Math.max(2, xMax))) * (W - L - R);
  const py = (y: number) =>
    T + (1 - (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) *
      (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (let y = yMin; y <= yMax * 1.001; y *= 10) {
    out.push(
      `<line x1="${L}" x2="${W - R}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${L - 6}" y="${py(y) + 4}" text-anchor="end">${y}</text>`,
    );
  }
  for (const x of xs) {
    out.push(
      `<line x1="${px(x)}" x2="${px(x)}" y1="${T}" y2="${H - B}" stroke="#eee"/>`,
      `<text x="${px(x)}" y="${H - B + 16}" text-anchor="middle">${x}</text>`,
    );
  }
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${
      esc(yLabel)
    }</text>`,
  );
  series.forEach((s, i) => {
    const p = s.points.filter((q) => q.y > 0).sort((a, b) => a.x - b.x);
    if (p.length) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${
          p.map((q) => `${px(q.x).toFixed(1)},${py(q.y).toFixed(1)}`).join(" ")
        }"/>`,
        ...p.map((q) =>
          `<circle cx="${px(q.x).toFixed(1)}" cy="${
            py(q.y).toFixed(1)
          }" r="3.5" fill="${s.color}"/>`
        ),
      );
    }
    const ly = T + 10 + i * 20;
    out.push(
      `<rect x="${W - R + 12}" y="${ly - 8}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${W - R + 30}" y="${ly + 2}">${esc(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
