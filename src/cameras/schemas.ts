/** zod schemas for the camera API bodies (the seed's contract, strictly). */
import { z } from "zod";
import { PROTOCOLS } from "./camera.ts";
import { parseSource, SourceError } from "../recorder/source_url.ts";

const id = z.number({ error: "must be an integer" }).int("must be an integer").min(
  0,
  "must be >= 0",
)
  .max(999_999_999, "must be <= 999999999");
const isRec = z.union([z.literal(0), z.literal(1)], { error: "must be 0 or 1" });
const name = z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(
  100,
  "must be at most 100 characters",
  // deno-lint-ignore no-control-regex -- control characters are what is refused
).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");
const iaddr = z.string({ error: "must be a string" }).superRefine((value, ctx) => {
  try {
    parseSource(value);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    ctx.addIssue({ code: "custom", message: err.message });
  }
});
const protocol = z.string({ error: "must be a string" }).transform((s) => s.toLowerCase()).pipe(
  z.enum(PROTOCOLS, { error: `must be one of ${PROTOCOLS.join(", ")}` }),
);

/** POST /api/camera, and each camera of the controller's boot list. */
export const CameraInput = z.strictObject({ seq: id, gid: id, name, iaddr, protocol, isRec });
export type CameraInput = z.infer<typeof CameraInput>;

/** PUT /api/camera: b_gid is the group before the edit. */
export const CameraEdit = z.strictObject({
  seq: id,
  b_gid: id,
  gid: id,
  name,
  iaddr,
  protocol,
  isRec,
});
export type CameraEdit = z.infer<typeof CameraEdit>;

/** PUT /api/camera/record/status */
export const RecordStatus = z.strictObject({ seq: id, gid: id, isRec });

/** Path parameters `seq` and `gid`. */
export const IdParam = z.string().regex(/^\d{1,9}$/, "must be a non-negative integer").transform(
  Number,
);

/** One entry per bad field: `{ field, message }`. */
export function fieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => {
    if (i.code === "unrecognized_keys") {
      return { field: i.keys.join(","), message: "unknown field" };
    }
    return { field: i.path.join(".") || "(body)", message: i.message };
  });
}
