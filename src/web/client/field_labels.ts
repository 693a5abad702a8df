/** The API's field names as the forms label them, for error messages people read. */
export const FIELD_LABELS: Record<string, string> = {
  iaddr: "Source URL",
  gid: "Group",
  b_gid: "Group",
  seq: "Number",
  name: "Name",
  protocol: "Protocol",
  isRec: "Record continuously",
  from: "From",
  to: "To",
};

/** A message with every API field name in it replaced by its label ("iaddr has no host"). */
export function labelled(message: string): string {
  return message.replace(/\b(iaddr|b_gid|gid|seq|isRec)\b/g, (f) => FIELD_LABELS[f] ?? f);
}

/** A field's label, or its name when the form has none. */
export const labelOf = (field: string) => FIELD_LABELS[field] ?? field;
