/** The hydrated islands by name: the server renders them, the browser hydrates them. */
import { Cameras } from "./cameras.tsx";
import { LiveWall } from "./live_wall.tsx";
import { Recordings } from "./fleet_recordings.tsx";
import { Review } from "./review.tsx";

// deno-lint-ignore no-explicit-any
export const ISLANDS: Record<string, (props: any) => preact.JSX.Element> = {
  live: LiveWall,
  recordings: Recordings,
  review: Review,
  cameras: Cameras,
};
