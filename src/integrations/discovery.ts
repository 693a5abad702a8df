/**
 * Home Assistant MQTT discovery (retained `homeassistant/<component>/<object id>/config`):
 * per camera one device with a motion binary_sensor, a recording switch, a connectivity
 * binary_sensor and an `image` entity showing the latest snapshot (HA's MQTT `image`
 * takes a URL on `url_topic`; its MQTT `camera` would need the JPEG bytes on a topic).
 * Object ids and `unique_id`s are `{node}_{gid}_{seq}_{entity}`: stable across restarts.
 * An empty retained config removes the entity (a deleted camera). Pure.
 */
import { camName, type Topics } from "./topics.ts";

export const DISCOVERY_PREFIX = "homeassistant";

/** The entities of one camera: [HA component, entity suffix]. */
const ENTITIES = [
  ["binary_sensor", "motion"],
  ["switch", "recording"],
  ["binary_sensor", "connectivity"],
  ["image", "snapshot"],
] as const;

export interface DiscoveryMessage {
  topic: string;
  /** JSON of the config; "" removes the entity. */
  payload: string;
}

/** Topic-safe form of the node id (HA object ids: letters, digits, `_`, `-`). */
const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_");

const objectId = (node: string, gid: number, seq: number, entity: string) =>
  `${safe(node)}_${gid}_${seq}_${entity}`;

const topicOf = (component: string, id: string) => `${DISCOVERY_PREFIX}/${component}/${id}/config`;

/** The connected states (as `nvr_camera_up` counts them). */
const UP = "['streaming', 'recording']";

/** The retained configs that announce one camera's entities. */
export function discoveryConfigs(
  topics: Topics,
  node: string,
  cam: { gid: number; seq: number; name?: string },
): DiscoveryMessage[] {
  const { gid, seq } = cam;
  const device = {
    identifiers: [`nvr_${safe(node)}_${gid}_${seq}`],
    name: cam.name || `Camera ${camName(gid, seq)}`,
    manufacturer: "NVR",
    model: `camera ${camName(gid, seq)} on ${node}`,
  };
  const common = (entity: string, name: string) => ({
    name,
    unique_id: objectId(node, gid, seq, entity),
    device,
    availability_topic: topics.availability,
    payload_available: "online",
    payload_not_available: "offline",
    origin: { name: "nvr" },
  });
  const configs: Record<(typeof ENTITIES)[number][1], Record<string, unknown>> = {
    motion: {
      ...common("motion", "Motion"),
      device_class: "motion",
      state_topic: topics.motion(gid, seq),
      payload_on: "ON",
      payload_off: "OFF",
    },
    recording: {
      ...common("recording", "Recording"),
      icon: "mdi:record-rec",
      state_topic: topics.state(gid, seq),
      value_template: "{{ 'ON' if value_json.isRec == 1 else 'OFF' }}",
      command_topic: topics.recordingSet(gid, seq),
      payload_on: "ON",
      payload_off: "OFF",
      state_on: "ON",
      state_off: "OFF",
    },
    connectivity: {
      ...common("connectivity", "Connected"),
      device_class: "connectivity",
      entity_category: "diagnostic",
      state_topic: topics.state(gid, seq),
      value_template: `{{ 'ON' if value_json.state in ${UP} else 'OFF' }}`,
      payload_on: "ON",
      payload_off: "OFF",
    },
    snapshot: {
      ...common("snapshot", "Snapshot"),
      // No content_type: HA refuses it beside url_topic (it reads the type when downloading).
      url_topic: topics.snapshotUrl(gid, seq),
    },
  };
  return ENTITIES.map(([component, entity]) => ({
    topic: topicOf(component, objectId(node, gid, seq, entity)),
    payload: JSON.stringify(configs[entity]),
  }));
}

/** The empty retained configs that remove a deleted camera's entities. */
export function discoveryRemovals(node: string, gid: number, seq: number): DiscoveryMessage[] {
  return ENTITIES.map(([component, entity]) => ({
    topic: topicOf(component, objectId(node, gid, seq, entity)),
    payload: "",
  }));
}
