#!/bin/sh
# Refreshes the dev stage's CloudNativePG clone of prod (ADR 009 §3). Shipped in a ConfigMap by the stack
# (components/devData/refresher.ts) and run by the seed Job, the scheduled CronJob, or the Argo CD Sync hook
# Kargo triggers on promotion. Every input is an environment variable set by that builder.
#
# MODE seed (the stack's Job; Pulumi creates the Cluster at the same time and CloudNativePG holds it until the
# source snapshot exists): every step but 3 and 5, which delete and create the Cluster (Pulumi's). When the
# source snapshot is already bound it only waits for the clone and clears its verifiers (step 6).
# MODE on-demand (Argo CD hook) and scheduled (CronJob): every step.
#
#   0. make sure the clone's own app password exists (generated here, never leaves the cluster)
#   1. read prod's live Cluster and refuse unless a ready standby exists (else CloudNativePG would fence the
#      primary), then create a cold, standby-targeted volumeSnapshot Backup of prod
#   2. wait until it is completed, read its PGDATA VolumeSnapshot's handle, and refuse a snapshot larger than
#      the clone's volume (devData.clone.size) before anything is deleted
#   3. delete the clone (CNPG bootstraps only at creation, so a refresh is always delete + create)
#   4. bind the same physical snapshot into the dev namespace: a VolumeSnapshotContent with
#      deletionPolicy Retain (prod's VolumeSnapshot owns the snapshot; nothing here may delete it) and a
#      VolumeSnapshot named $SOURCE_SNAPSHOT pointing at it
#   5. recreate the clone from the stack's manifest, applied under Pulumi's own field manager
#   6. wait until the clone is Ready, then clear every password verifier that came with prod's catalog except
#      the owner's (which CNPG set from the clone's Secret)
#   7. prune older Backups made for the clone and their VolumeSnapshots (by cnpg.io/backupName: CNPG does not
#      copy the Backup's labels to its snapshots), keeping $KEEP_BACKUPS
set -eu

: "${MODE:?}" "${PROD_NS:?}" "${PROD_CLUSTER:?}" "${DEV_NS:?}" "${CLONE:?}" "${SOURCE_SNAPSHOT:?}"
: "${APP_SECRET:?}" "${OWNER:?}" "${KEEP_BACKUPS:?}" "${TIMEOUT_SECONDS:?}" "${OWNED_LABEL:?}"
: "${SOURCE_ANNOTATION:?}" "${BACKUP_PREFIX:?}" "${CLONE_SIZE_BYTES:?}" "${FIELD_MANAGER:?}"

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

# Step 6, in every mode: the seed waits for the Cluster Pulumi creates, the others for the one they created.
seal_clone() {
    until kubectl -n "$DEV_NS" get "$CLUSTERS" "$CLONE" >/dev/null 2>&1; do
        check_deadline "clone $DEV_NS/$CLONE does not exist"
        sleep 5
    done
    kubectl -n "$DEV_NS" wait "$CLUSTERS/$CLONE" --for=condition=Ready --timeout="$(remaining)s" ||
        fail "clone $DEV_NS/$CLONE did not become Ready from $1"
    log "clone $DEV_NS/$CLONE is Ready, restored from $1"
    # The catalog came with the data: every role but the owner (whose password CNPG has just set from the
    # clone's own Secret) loses its password verifier; attributes and memberships stay as in prod. Local peer
    # auth, inside the pod.
    primary=$(kubectl -n "$DEV_NS" get pod -l "cnpg.io/cluster=$CLONE,cnpg.io/instanceRole=primary" -o name)
    [ -n "$primary" ] || fail "no primary pod for $DEV_NS/$CLONE"
    kubectl -n "$DEV_NS" exec "$primary" -c postgres -- psql -v ON_ERROR_STOP=1 -qAt -d postgres -c "DO \$\$DECLARE r record; BEGIN
  FOR r IN SELECT rolname FROM pg_authid WHERE rolpassword IS NOT NULL AND rolname <> '$OWNER' LOOP
    EXECUTE format('ALTER ROLE %I PASSWORD NULL', r.rolname);
  END LOOP; END\$\$;" || fail "could not clear prod password verifiers in $DEV_NS/$CLONE"
    log "cleared every password verifier in $DEV_NS/$CLONE except $OWNER's"
}

# A Kubernetes quantity ("20Gi", "10G", "512Mi") in bytes; null for anything else. jq, not shell, expands it.
# shellcheck disable=SC2016
JQ_BYTES='def bytes: if type == "number" then . elif type != "string" then null else
  (capture("^(?<n>[0-9]+(\\.[0-9]+)?)(?<u>[KMGTPE]i|[kMGTPE])?$") // null) as $q | if $q == null then null else
  ($q.n | tonumber) * ({"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18, "Ki": 1024, "Mi": 1048576,
  "Gi": 1073741824, "Ti": 1099511627776, "Pi": 1125899906842624, "Ei": 1152921504606846976}[$q.u // ""]) end end;'

# --- 0. the clone's own application password: Pulumi's Cluster bootstraps with it ------------------------
ensure_app_secret

if [ "$MODE" = "seed" ]; then
    bound=$(kubectl -n "$DEV_NS" get "$VS" "$SOURCE_SNAPSHOT" -o json 2>/dev/null || echo '{}')
    if [ "$(echo "$bound" | jq -r '.status.readyToUse // false')" = "true" ]; then
        log "already seeded: $DEV_NS/$SOURCE_SNAPSHOT is bound; the next refresh replaces it"
        seal_clone "$(echo "$bound" | jq -r --arg a "$SOURCE_ANNOTATION" '.metadata.annotations[$a] // "the bound snapshot"')"
        exit 0
    fi
fi
case "$MODE" in seed | on-demand | scheduled) ;; *) fail "unknown MODE '$MODE'" ;; esac

# --- 1. prod must have a ready standby, then the Backup ----------------------------------------------------
# CloudNativePG elects the first Ready instance that is not status.targetPrimary and, when there is none, falls
# back to the primary (internal/controller/backup_controller.go, getBackupTargetPod, v1.30.0): a cold snapshot
# would then fence prod's primary. status.readyInstances counts Ready pods (pkg/reconciler/persistentvolumeclaim/
# status.go); with two of them and no switchover under way, one is a standby.
prod_json=$(kubectl -n "$PROD_NS" get "$CLUSTERS" "$PROD_CLUSTER" -o json) ||
    fail "cannot read prod's Cluster $PROD_NS/$PROD_CLUSTER"
problem=$(echo "$prod_json" | jq -r '
  (.status.readyInstances // 0) as $ready | (.status.currentPrimary // "") as $cur | (.status.targetPrimary // "") as $tgt
  | if $cur != $tgt then "a switchover is under way (currentPrimary \"\($cur)\", targetPrimary \"\($tgt)\")"
    elif $ready < 2 then "\($ready) Ready instance(s) of \(.spec.instances // "?"), so no Ready standby"
    elif (.status.phase // "") != "Cluster in healthy state" then "phase is \"\(.status.phase // "")\", not \"Cluster in healthy state\""
    else "" end')
[ -z "$problem" ] ||
    fail "no snapshot taken: prod's Cluster $PROD_NS/$PROD_CLUSTER has $problem; CloudNativePG would fence the primary"
BACKUP="$BACKUP_PREFIX-$(date -u +%Y%m%d%H%M%S)"
sed "s/__BACKUP_NAME__/$BACKUP/" "$MANIFESTS/backup.json" | kubectl create -f -
log "requested cold snapshot Backup $PROD_NS/$BACKUP ($(echo "$prod_json" | jq -r '"\(.status.readyInstances) Ready instances, primary \(.status.currentPrimary), snapshotOwnerReference \(.spec.backup.volumeSnapshot.snapshotOwnerReference // "none")"'))"

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
backup_json=$(kubectl -n "$PROD_NS" get "$BACKUPS" "$BACKUP" -o json)
fenced=$(echo "$backup_json" | jq -r '.status.instanceID.podName // "an unreported instance"')
log "Backup $BACKUP fenced $fenced"
# The check above and CloudNativePG's election are seconds apart: say so loudly if the standby went meanwhile.
[ "$fenced" != "$(echo "$prod_json" | jq -r '.status.currentPrimary')" ] ||
    log "WARNING: CloudNativePG fenced prod's primary $fenced for this snapshot (its standby stopped being Ready after the check)" >&2
elements=$(echo "$backup_json" | jq -c '.status.snapshotBackupStatus.elements // []')
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
# The clone's PVC is a new volume the clone's StorageClass provisions from the snapshot; it must be at least the
# snapshot's restoreSize (VolumeSnapshotContent status, bytes), or, when the driver reports none, prod's volume.
need=$(jq -n -r --argjson c "$content_json" --argjson p "$prod_json" "$JQ_BYTES"'
  ((($c.status.restoreSize // 0) | if . > 0 then . else null end)
   // $p.spec.storage.size // $p.spec.storage.pvcTemplate.resources.requests.storage | bytes) // "" | tostring')
[ -n "$need" ] || fail "the snapshot of $PROD_NS/$SNAP reports no restoreSize and prod's Cluster no readable storage size"
[ "$(jq -n --argjson need "$need" --argjson have "$CLONE_SIZE_BYTES" '$need <= $have')" = "true" ] ||
    fail "the snapshot of $PROD_NS/$SNAP needs $need bytes, more than devData.clone.size ($CLONE_SIZE_BYTES bytes); nothing in $DEV_NS was touched"
log "snapshot $PROD_NS/$SNAP: driver $DRIVER, handle $HANDLE, needs $need of the clone's $CLONE_SIZE_BYTES bytes"

# --- 3. delete the clone and its volume (never in seed mode: Pulumi creates the Cluster) -----------------
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
log "bound $DEV_NS/$SOURCE_SNAPSHOT to the snapshot of $PROD_NS/$BACKUP"

# --- 5. recreate the clone (Pulumi's in seed mode) -------------------------------------------------------
# Server-side apply under the manager Pulumi uses for this Cluster (annotation pulumi.com/patchFieldManager):
# the next `pulumi up` finds every field its own. `kubectl create` would own them as kubectl-create, and
# Pulumi's next change would be a server-side-apply conflict.
if [ "$MODE" != "seed" ]; then
    kubectl apply --server-side --field-manager="$FIELD_MANAGER" -f "$MANIFESTS/cluster.json"
fi

# --- 6. wait for it and clear prod's password verifiers --------------------------------------------------
seal_clone "$PROD_NS/$BACKUP"

# --- 7. prune -------------------------------------------------------------------------------------------
# By cnpg.io/backupName: CNPG labels its VolumeSnapshots with the Backup's name but not with the Backup's own
# labels, and with the default snapshotOwnerReference "none" deleting a Backup leaves its snapshots behind
# (pkg/reconciler/backup/volumesnapshot/reconciler.go, v1.30.0).
kubectl -n "$PROD_NS" get "$BACKUPS" -l "$OWNED_LABEL=$DEV_NS.$CLONE" -o json |
    jq -r --arg keep "$KEEP_BACKUPS" --arg current "$BACKUP" '
      [.items[] | select(.metadata.name != $current)]
      | sort_by(.metadata.creationTimestamp) | reverse | .[(($keep | tonumber) - 1):] | .[].metadata.name' |
    while read -r old; do
        log "pruning Backup $PROD_NS/$old and its VolumeSnapshots"
        kubectl -n "$PROD_NS" delete "$VS" -l "cnpg.io/backupName=$old" --ignore-not-found
        kubectl -n "$PROD_NS" delete "$BACKUPS" "$old" --ignore-not-found
    done
log "refresh done"
