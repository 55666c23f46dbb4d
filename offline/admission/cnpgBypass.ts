/**
 * CloudNativePG 1.30's bypassable validator (internal/webhook/v1/common.go, validate/isValidationEnabled):
 * the Cluster and Backup webhooks accept anything annotated `cnpg.io/validation: disabled`. The
 * ScheduledBackup webhook is registered without it (scheduledbackup_webhook.go), so it always validates.
 */
import { annotationsOf, asString } from "./objects";

export const VALIDATION_ANNOTATION = "cnpg.io/validation";

/** False only for the explicit opt-out; an unknown value still validates (upstream only warns). */
export function shouldValidateCnpgObject(obj: unknown): boolean {
    return asString(annotationsOf(obj)[VALIDATION_ANNOTATION]) !== "disabled";
}
