/**
 * What a secret value looks like in every recorded artifact (resources.json, manifests.yaml, outputs.json).
 * Its own module so that `npm run validate` can recognise the synth's placeholder without loading the
 * Pulumi runtime.
 */
export const REDACTED = "[secret]";
