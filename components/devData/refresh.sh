#!/bin/sh
# Refreshes the dev stage's CloudNativePG clone of prod (ADR 009 §3). Shipped in a ConfigMap by the stack
# (components/devData/refresher.ts) and run by the seed Job, the scheduled CronJob, or the Argo CD Sync hook
# Kargo triggers on promotion. Every input is an environment variable set by that builder.
#
# MODE seed (the stack's Job, before Pulumi creates the Cluster): steps 1, 2, 4 and 5 only, and nothing at all
# when the source snapshot is already bound; it never touches the Cluster, which Pulumi owns.
# MODE on-demand (Argo CD hook) and scheduled (CronJob): every step.
#
#   1. pick a cold, standby-sourced volumeSnapshot Backup of prod (create one, the seed, or the newest scheduled)
#   2. wait until it is completed and read its PGDATA VolumeSnapshot's handle
#   3. delete the clone (CNPG bootstraps only at creation, so a refresh is always delete + create)
#   4. bind the same physical snapshot into the dev namespace: a VolumeSnapshotContent with
#      deletionPolicy Retain (prod's VolumeSnapshot owns the snapshot; nothing here may delete it) and a
#      VolumeSnapshot named $SOURCE_SNAPSHOT pointing at it
#   5. make sure the clone's own app password exists (generated here, never leaves the cluster)
#   6. recreate the clone from the stack's manifest, wait until it is Ready, and clear every password
#      verifier that came with prod's catalog except the owner's (which CNPG set from the clone's Secret)
#   7. prune older Backups (and their VolumeSnapshots) made for the clone, keeping $KEEP_BACKUPS
set -eu

: "${MODE:?}" "${PROD_NS:?}" "${PROD_CLUSTER:?}" "${DEV_NS:?}" "${CLONE:?}" "${SOURCE_SNAPSHOT:?}"
: "${APP_SECRET:?}" "${OWNER:?}" "${KEEP_BACKUPS:?}" "${TIMEOUT_SECONDS:?}" "${OWNED_LABEL:?}"
: "${SOURCE_ANNOTATION:?}"

# Where the ConfigMap is mounted (the Job's volume); tests point it elsewhere.
MANIFESTS="${MANIFESTS:-/refresh}"
BACKUPS=backups.postgresql.cnpg.io
CLUSTERS=clusters.postgresql.cnpg.io
VS=volumesnapshots.snapshot.storage.k8s.io
VSC=volumesnapshotcontents.snapshot.storage.k8s.io
DEADLINE=$(($(date +%s) + TIMEOUT_SECONDS))

log() { echo "$(date -u +%H:%M:%SZ) $*"; }
fail() {
    log "refresh FAILED: $*" >&2
    exit 1
}
remaining() { echo $((DEADLINE - $(date +%s))); }
check_deadline() { [ "$(remaining)" -gt 0 ] || fail "timed out after ${TIMEOUT_SECONDS}s: $1"; }

ensure_app_secret() {
    kubectl -n "$DEV_NS" get secret "$APP_SECRET" >/dev/null 2>&1 && return 0
    password=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)
    # Through stdin, never argv: the password shows up in no process list.
    jq -n --arg name "$APP_SECRET" --arg ns "$DEV_NS" --arg user "$OWNER" --arg pw "$password" \
        --arg okey "$OWNED_LABEL" --arg owner "$DEV_NS.$CLONE" '{
          apiVersion: "v1", kind: "Secret", type: "kubernetes.io/basic-auth",
          metadata: {name: $name, namespace: $ns, labels: {($okey): $owner}},
          stringData: {username: $user, password: $pw}
        }' | kubectl create -f - >/dev/null
    log "generated $DEV_NS/$APP_SECRET"
}

if [ "$MODE" = "seed" ] &&
    [ "$(kubectl -n "$DEV_NS" get "$VS" "$SOURCE_SNAPSHOT" -o jsonpath='{.status.readyToUse}' 2>/dev/null)" = "true" ]; then
    ensure_app_secret
    log "already seeded: $DEV_NS/$SOURCE_SNAPSHOT is bound; the next refresh replaces it"
    exit 0
fi

# --- 1. the Backup to clone from -------------------------------------------------------------------------
case "$MODE" in
on-demand)
    BACKUP="${BACKUP_PREFIX:?}-$(date -u +%Y%m%d%H%M%S)"
    sed "s/__BACKUP_NAME__/$BACKUP/" "$MANIFESTS/backup.json" | kubectl create -f -
    log "requested cold snapshot Backup $PROD_NS/$BACKUP"
    ;;
seed | scheduled)
    if [ "$MODE" = "seed" ] && [ -n "${SEED_BACKUP:-}" ]; then
        BACKUP="$SEED_BACKUP"
    else
        current=$(kubectl -n "$DEV_NS" get "$VS" "$SOURCE_SNAPSHOT" -o json 2>/dev/null |
            jq -r --arg a "$SOURCE_ANNOTATION" '.metadata.annotations[$a] // ""' || true)
        while :; do
            BACKUP=$(kubectl -n "$PROD_NS" get "$BACKUPS" -l "cnpg.io/scheduled-backup=${SCHEDULED_BACKUP:?}" -o json |
                jq -r '[.items[] | select(.status.phase != "failed")] | sort_by(.metadata.creationTimestamp) | last | .metadata.name // ""')
            [ -n "$BACKUP" ] && [ "$BACKUP" != "$current" ] && break
            check_deadline "no Backup from ScheduledBackup $SCHEDULED_BACKUP newer than '${current:-none}'"
            sleep 20
        done
    fi
    ;;
*) fail "unknown MODE '$MODE'" ;;
esac

# --- 2. wait for it, then read the snapshot it produced --------------------------------------------------
while :; do
    phase=$(kubectl -n "$PROD_NS" get "$BACKUPS" "$BACKUP" -o jsonpath='{.status.phase}')
    case "$phase" in
    completed) break ;;
    failed) fail "Backup $PROD_NS/$BACKUP failed: $(kubectl -n "$PROD_NS" get "$BACKUPS" "$BACKUP" -o jsonpath='{.status.error}')" ;;
    esac
    check_deadline "Backup $PROD_NS/$BACKUP is still '${phase:-pending}'"
    sleep 10
done
elements=$(kubectl -n "$PROD_NS" get "$BACKUPS" "$BACKUP" -o json | jq -c '.status.snapshotBackupStatus.elements // []')
# A separate WAL volume would need a second, coherent snapshot and spec.walStorage on the clone: refuse.
[ "$(echo "$elements" | jq 'map(select(.type != "PG_DATA")) | length')" = "0" ] ||
    fail "Backup $BACKUP has snapshots besides PG_DATA ($elements); the clone supports a PGDATA-only prod cluster"
SNAP=$(echo "$elements" | jq -r 'map(select(.type == "PG_DATA")) | first | .name // ""')
[ -n "$SNAP" ] || fail "Backup $BACKUP lists no PG_DATA snapshot"
snap_json=$(kubectl -n "$PROD_NS" get "$VS" "$SNAP" -o json)
[ "$(echo "$snap_json" | jq -r '.status.readyToUse')" = "true" ] || fail "VolumeSnapshot $PROD_NS/$SNAP is not readyToUse"
content=$(echo "$snap_json" | jq -r '.status.boundVolumeSnapshotContentName')
content_json=$(kubectl get "$VSC" "$content" -o json)
HANDLE=$(echo "$content_json" | jq -r '.status.snapshotHandle')
DRIVER=$(echo "$content_json" | jq -r '.spec.driver')
CLASS=$(echo "$content_json" | jq -r '.spec.volumeSnapshotClassName // ""')
log "snapshot $PROD_NS/$SNAP: driver $DRIVER, handle $HANDLE, restoreSize $(echo "$content_json" | jq -r '.status.restoreSize')"

# --- 3. delete the clone and its volume (never in seed mode: Pulumi creates the Cluster after the seed) ----
if [ "$MODE" != "seed" ]; then
    kubectl -n "$DEV_NS" delete "$CLUSTERS" "$CLONE" --ignore-not-found --wait=true --timeout="$(remaining)s"
    while [ -n "$(kubectl -n "$DEV_NS" get pvc -l "cnpg.io/cluster=$CLONE" -o name)" ]; do
        check_deadline "PVCs of the old clone still exist"
        sleep 5
    done
fi

# --- 4. bind the snapshot into the dev namespace ---------------------------------------------------------
kubectl -n "$DEV_NS" delete "$VS" "$SOURCE_SNAPSHOT" --ignore-not-found --wait=true --timeout="$(remaining)s"
# Retain-policy contents only: deleting the object never deletes the physical snapshot.
kubectl delete "$VSC" -l "$OWNED_LABEL=$DEV_NS.$CLONE" --ignore-not-found --wait=true --timeout="$(remaining)s"
CONTENT_NAME="$DEV_NS-$CLONE-$BACKUP"
jq -n --arg name "$CONTENT_NAME" --arg okey "$OWNED_LABEL" --arg owner "$DEV_NS.$CLONE" \
    --arg driver "$DRIVER" --arg handle "$HANDLE" --arg class "$CLASS" \
    --arg ns "$DEV_NS" --arg snap "$SOURCE_SNAPSHOT" '{
      apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotContent",
      metadata: {name: $name, labels: {($okey): $owner}},
      spec: ({deletionPolicy: "Retain", driver: $driver, source: {snapshotHandle: $handle},
              volumeSnapshotRef: {name: $snap, namespace: $ns}}
             + (if $class == "" then {} else {volumeSnapshotClassName: $class} end))
    }' | kubectl create -f -
# CNPG's coherence check reads the role and backup labels/annotations it put on its own snapshots.
echo "$snap_json" | jq --arg ns "$DEV_NS" --arg snap "$SOURCE_SNAPSHOT" --arg content "$CONTENT_NAME" \
    --arg okey "$OWNED_LABEL" --arg owner "$DEV_NS.$CLONE" --arg ann "$SOURCE_ANNOTATION" --arg backup "$BACKUP" '{
      apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshot",
      metadata: {
        name: $snap, namespace: $ns,
        labels: ((.metadata.labels // {} | with_entries(select(.key | startswith("cnpg.io/")))) + {($okey): $owner}),
        annotations: ((.metadata.annotations // {} | with_entries(select(.key | startswith("cnpg.io/"))))
                      + {"cnpg.io/pvcRole": "PG_DATA", ($ann): $backup})
      },
      spec: {source: {volumeSnapshotContentName: $content}}
    }' | kubectl create -f -
while [ "$(kubectl -n "$DEV_NS" get "$VS" "$SOURCE_SNAPSHOT" -o jsonpath='{.status.readyToUse}')" != "true" ]; do
    check_deadline "VolumeSnapshot $DEV_NS/$SOURCE_SNAPSHOT is not readyToUse"
    sleep 5
done

# --- 5. the clone's own application password -------------------------------------------------------------
ensure_app_secret
if [ "$MODE" = "seed" ]; then
    log "seeded $DEV_NS/$SOURCE_SNAPSHOT from $PROD_NS/$BACKUP; Pulumi creates the clone next"
    exit 0
fi

# --- 6. recreate the clone and wait for it ---------------------------------------------------------------
kubectl create -f "$MANIFESTS/cluster.json"
kubectl -n "$DEV_NS" wait "$CLUSTERS/$CLONE" --for=condition=Ready --timeout="$(remaining)s" ||
    fail "clone $DEV_NS/$CLONE did not become Ready from $BACKUP"
log "clone $DEV_NS/$CLONE is Ready, restored from $PROD_NS/$BACKUP"

# --- 6b. no prod password verifier survives in the clone ---------------------------------------------------
# The catalog came with the data: every role but the owner (whose password CNPG has just set from the clone's
# own Secret) loses its password, whatever devData.prod.loginRoles lists. Local peer auth, inside the pod.
primary=$(kubectl -n "$DEV_NS" get pod -l "cnpg.io/cluster=$CLONE,cnpg.io/instanceRole=primary" -o name)
[ -n "$primary" ] || fail "no primary pod for $DEV_NS/$CLONE"
kubectl -n "$DEV_NS" exec "$primary" -c postgres -- psql -v ON_ERROR_STOP=1 -qAt -d postgres -c "DO \$\$DECLARE r record; BEGIN
  FOR r IN SELECT rolname FROM pg_authid WHERE rolpassword IS NOT NULL AND rolname <> '$OWNER' LOOP
    EXECUTE format('ALTER ROLE %I PASSWORD NULL', r.rolname);
  END LOOP; END\$\$;" || fail "could not clear prod password verifiers in $DEV_NS/$CLONE"
log "cleared every password verifier in $DEV_NS/$CLONE except $OWNER's"

# --- 7. prune -------------------------------------------------------------------------------------------
if [ "$MODE" = "scheduled" ]; then selector="cnpg.io/scheduled-backup=$SCHEDULED_BACKUP"; else selector="$OWNED_LABEL=$DEV_NS.$CLONE"; fi
kubectl -n "$PROD_NS" get "$BACKUPS" -l "$selector" -o json |
    jq -r --arg keep "$KEEP_BACKUPS" --arg current "$BACKUP" --arg seed "${SEED_BACKUP:-}" '
      [.items[] | select(.metadata.name != $current and .metadata.name != $seed)]
      | sort_by(.metadata.creationTimestamp) | reverse | .[(($keep | tonumber) - 1):] | .[].metadata.name' |
    while read -r old; do
        log "pruning Backup $PROD_NS/$old and its VolumeSnapshots"
        kubectl -n "$PROD_NS" delete "$VS" -l "cnpg.io/backupName=$old" --ignore-not-found
        kubectl -n "$PROD_NS" delete "$BACKUPS" "$old" --ignore-not-found
    done
log "refresh done"
