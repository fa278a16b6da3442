-- Written by hand (no schema change: Prisma's diff ignores triggers). Before, any update of a
-- webhook row raised its configVersion, the failure streak the recorder keeps included, so a
-- failing webhook's settings were loaded afresh by every delivery pass. Now an update raises it
-- only when the row changes in something other than that bookkeeping: the failure streak and
-- "updatedAt". Every other column counts, today's and any added later, so a new setting cannot
-- be forgotten here. An update that rewrites the same values raises nothing: nothing changed.
DROP TRIGGER "Webhook_config_bump" ON "Webhook";

CREATE TRIGGER "Webhook_config_bump" BEFORE UPDATE ON "Webhook"
  FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'consecutiveFailures' - 'updatedAt') IS DISTINCT FROM (to_jsonb(NEW) - 'consecutiveFailures' - 'updatedAt'))
  EXECUTE FUNCTION "hy_webhook_config_bump"();
