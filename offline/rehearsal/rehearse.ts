/**
 * The promotion rehearsal: plays every promotion a stack declares, Stage by Stage in Freight order, against
 * a real git remote in a temp dir, and reports every step, check, commit and finding.
 *
 * A Stage starts as on a fresh install (no Freight yet). It is offered its directly requested Warehouses'
 * Freight, and Freight that a Stage it names in `sources.stages` promoted successfully and whose verification
 * would start (the rehearsal takes no measurement: an AnalysisRun Kargo and Rollouts would build stands for
 * "verified", one that would error is a finding and stays unverified). Freight no upstream verified is listed
 * as needing a manual approval and not promoted, exactly what Kargo's requestedFreight allows on its own.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeUndeployedCharts, findUndeployedFreightCharts } from "../behaviour/freightScope";
import { executePromotion, type PromotionPhase } from "./engine";
import type { FreightContext } from "./expr/functions";
import { buildFreight, buildTargetCollection, orderStages, readWarehouses } from "./freight";
import { createGitContext, type GitContext } from "./git";
import { inflateSteps, validateTaskRefs, type AdmissionProblem, type InflatedStep } from "./inflate";
import {
    copyGitopsRepository,
    createScratchRemote,
    repositoryName,
    seedDeployFilesFromApplications,
    selectDeployFiles,
    type DeployFile,
} from "./repo";
import { collectApplications, type PushRecord } from "./steps/context";
import { rehearseVerification, type VerificationRehearsal } from "./verification";
import type {
    ExpressionVariable,
    Freight,
    FreightRequest,
    KubeObject,
    PromotionStep,
    ResourceRecord,
    StepRecord,
} from "./types";

export interface RehearsalOptions {
    readonly objects: readonly KubeObject[];
    readonly resources: readonly ResourceRecord[];
    /** Whether Argo CD creates each Application (offline/rehearsal/argoAccess.ts); absent: not judged. */
    readonly argoAccess?: ReadonlyMap<string, { readonly ok: boolean; readonly detail: string }>;
    /** `--freight chart=version`, parsed. */
    readonly freight?: ReadonlyMap<string, string>;
    /** `--gitops DIR`: rehearse against a bare copy of this repository instead of a seeded scratch one. */
    readonly gitops?: string;
    /** Deploy directory the interim seeder writes under (the stack's `gitops.deployDir`). */
    readonly deployDir?: string;
    /** Where the temp dir goes (default: the OS temp dir); it is removed unless `keep`. */
    readonly tmpRoot?: string;
    readonly keep?: boolean;
}

export interface Finding {
    readonly stage: string;
    readonly freight?: string;
    readonly step: string;
    readonly reason: string;
}

export interface PromotionReport {
    readonly freight: Freight;
    readonly phase: PromotionPhase;
    readonly records: readonly StepRecord[];
    readonly pushes: readonly PushRecord[];
    /** The Stage's verification on the collection this promotion left, played to its first measurement. */
    readonly verification?: VerificationRehearsal;
}

export interface StageReport {
    readonly name: string;
    readonly admission: readonly AdmissionProblem[];
    readonly promotions: readonly PromotionReport[];
    readonly notPromoted: readonly { readonly freight: string; readonly reason: string }[];
}

export interface RehearsalReport {
    readonly project: string;
    readonly remote: {
        readonly kind: "scratch" | "gitops";
        readonly seededFrom: string;
        readonly files: readonly string[];
    };
    readonly notes: readonly string[];
    readonly freight: readonly Freight[];
    readonly stages: readonly StageReport[];
    readonly findings: readonly Finding[];
    readonly workDir?: string;
}

interface StageSpec {
    readonly object: KubeObject;
    readonly name: string;
    readonly requests: readonly FreightRequest[];
    readonly steps: readonly PromotionStep[];
    readonly vars: readonly ExpressionVariable[];
}

function readProject(objects: readonly KubeObject[]): string {
    const projects = objects.filter(
        (o) => o.kind === "Project" && o.apiVersion.startsWith("kargo.akuity.io/"),
    );
    if (projects.length !== 1)
        throw new Error(`expected exactly one Kargo Project among the objects, found ${projects.length}`);
    return projects[0].metadata.name;
}

function readStages(objects: readonly KubeObject[], project: string): StageSpec[] {
    return objects
        .filter((o) => o.kind === "Stage" && o.metadata.namespace === project)
        .map((o) => {
            const spec = (o.spec ?? {}) as {
                requestedFreight?: FreightRequest[];
                vars?: ExpressionVariable[];
                promotionTemplate?: { spec?: { steps?: PromotionStep[]; vars?: ExpressionVariable[] } };
            };
            return {
                object: o,
                name: o.metadata.name,
                requests: spec.requestedFreight ?? [],
                steps: spec.promotionTemplate?.spec?.steps ?? [],
                // The Promotion webhook sets the Promotion's vars to the Stage's, then its template's
                // (pkg/webhook/kubernetes/promotion/webhook.go Default).
                vars: [...(spec.vars ?? []), ...(spec.promotionTemplate?.spec?.vars ?? [])],
            };
        });
}

/** Every literal repoURL a git-clone step of a Stage or PromotionTask names, with its first branch. */
function cloneTargets(objects: readonly KubeObject[]): Map<string, string> {
    const targets = new Map<string, string>();
    const visit = (steps: readonly PromotionStep[] | undefined) => {
        for (const s of steps ?? []) {
            const cfg = s.config as { repoURL?: unknown; checkout?: { branch?: string }[] } | undefined;
            if (s.uses !== "git-clone" || typeof cfg?.repoURL !== "string" || cfg.repoURL.includes("${"))
                continue;
            if (!targets.has(cfg.repoURL))
                targets.set(cfg.repoURL, cfg.checkout?.find((c) => c.branch)?.branch ?? "main");
        }
    };
    for (const o of objects) {
        const spec = (o.spec ?? {}) as {
            steps?: PromotionStep[];
            promotionTemplate?: { spec?: { steps?: PromotionStep[] } };
        };
        if (o.kind === "PromotionTask" || o.kind === "ClusterPromotionTask") visit(spec.steps);
        if (o.kind === "Stage") visit(spec.promotionTemplate?.spec?.steps);
    }
    return targets;
}

interface Remotes {
    readonly byUrl: Map<string, string>;
    readonly report: RehearsalReport["remote"];
    readonly notes: string[];
}

function prepareRemotes(
    git: GitContext,
    root: string,
    opts: RehearsalOptions,
    objects: readonly KubeObject[],
): Remotes {
    const targets = cloneTargets(objects);
    const byUrl = new Map<string, string>();
    const notes: string[] = [];
    if (opts.gitops) {
        for (const url of targets.keys())
            byUrl.set(url, copyGitopsRepository(git, root, repositoryName(url), opts.gitops));
        notes.push(
            `git: every clone of ${[...targets.keys()].join(", ")} reads a bare copy of ${opts.gitops}; pushes stay in that copy`,
        );
        return { byUrl, notes, report: { kind: "gitops", seededFrom: opts.gitops, files: [] } };
    }
    const declared = selectDeployFiles(opts.resources);
    let files: DeployFile[] = declared;
    let seededFrom = "github RepositoryFile resources the stack declares";
    if (declared.length === 0) {
        const subs = readWarehouses(objects, readProject(objects)).flatMap((w) => w.subscriptions);
        const repo = repositoryName([...targets.keys()][0] ?? "gitops");
        files = seedDeployFilesFromApplications(objects, subs, opts.deployDir ?? "deploy", repo);
        seededFrom =
            "INTERIM seeder (seedDeployFilesFromApplications): the stack declares no RepositoryFile yet";
        notes.push(
            "deploy files: the stack declares no github RepositoryFile, so on a real cluster the first yaml-update " +
                "would fail (issue 9 defect 5); the scratch repository is seeded by an interim stand-in instead",
        );
    }
    for (const [url, branch] of targets) {
        const mine = files.filter((f) => f.repository === repositoryName(url));
        byUrl.set(url, createScratchRemote(git, root, repositoryName(url), mine, branch));
    }
    return {
        byUrl,
        notes,
        report: { kind: "scratch", seededFrom, files: files.map((f) => `${f.repository}:${f.file}`) },
    };
}

/** The Freight a Stage is offered, and the Freight it is not (with why). */
function offerFreight(
    stage: StageSpec,
    freightByOrigin: ReadonlyMap<string, Freight>,
    verified: ReadonlyMap<string, ReadonlySet<string>>,
): { offered: Freight[]; notPromoted: { freight: string; reason: string }[] } {
    const offered: Freight[] = [];
    const notPromoted: { freight: string; reason: string }[] = [];
    for (const req of stage.requests) {
        const f = freightByOrigin.get(req.origin.name);
        if (!f) {
            notPromoted.push({
                freight: req.origin.name,
                reason: `no Warehouse "${req.origin.name}" is declared`,
            });
            continue;
        }
        const upstream = req.sources.stages ?? [];
        if (req.sources.direct || upstream.some((u) => verified.get(u)?.has(f.name))) offered.push(f);
        else {
            notPromoted.push({
                freight: describeFreight(f),
                reason: `not verified in ${upstream.join(", ") || "any Stage"}: Kargo offers it to ${stage.name} only after a manual approval (kargo approve)`,
            });
        }
    }
    return { offered, notPromoted };
}

export function describeFreight(f: Freight): string {
    return `${f.origin.name}(${f.charts.map((c) => `${c.RepoURL.split("/").pop()}@${c.Version}`).join(", ")})`;
}

function findingsOf(stage: string, freight: Freight, records: readonly StepRecord[]): Finding[] {
    return records
        .filter((r) => r.status === "Errored" || r.status === "Failed")
        .map((r) => ({
            stage,
            freight: describeFreight(freight),
            step: r.alias,
            reason: r.message ?? r.status,
        }));
}

/** Plays the whole rehearsal; throws only on unusable input (no Project, bad --freight). */
export function rehearse(opts: RehearsalOptions): RehearsalReport {
    const objects = opts.objects;
    const project = readProject(objects);
    const warehouses = readWarehouses(objects, project);
    const freight = buildFreight(warehouses, objects, opts.freight ?? new Map());
    const freightByOrigin = new Map(freight.map((f) => [f.origin.name, f]));
    const root = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), "rehearsal-"));
    try {
        const git = createGitContext(root);
        const remotes = prepareRemotes(git, root, opts, objects);
        const applications = collectApplications(objects);
        const subscriptionsByWarehouse = new Map(warehouses.map((w) => [w.name, w.subscriptions]));
        const verified = new Map<string, Set<string>>();
        const partial = findUndeployedFreightCharts(objects);
        const findings: Finding[] = [];
        const stages: StageReport[] = [];
        for (const stage of orderStages(readStages(objects, project))) {
            const admission = validateTaskRefs(stage.steps);
            admission.forEach((p) =>
                findings.push({
                    stage: stage.name,
                    step: p.step,
                    reason: `${p.reason} (Kargo's Stage webhook refuses the Stage)`,
                }),
            );
            const { offered, notPromoted } = offerFreight(stage, freightByOrigin, verified);
            // Freight verified upstream as a whole, though the upstream Stage deployed only part of it.
            for (const f of offered) {
                for (const u of partial) {
                    if (u.downstream !== stage.name || u.warehouse !== f.origin.name) continue;
                    if (!verified.get(u.upstream)?.has(f.name)) continue;
                    findings.push({
                        stage: stage.name,
                        freight: describeFreight(f),
                        step: `(requestedFreight[${u.request}])`,
                        reason: describeUndeployedCharts(u),
                    });
                }
            }
            const promotions: PromotionReport[] = [];
            verified.set(stage.name, new Set());
            if (admission.length > 0) {
                offered.forEach((f) =>
                    notPromoted.push({ freight: describeFreight(f), reason: "the Stage is not admitted" }),
                );
                stages.push({ name: stage.name, admission, promotions, notPromoted });
                continue;
            }
            let steps: InflatedStep[];
            try {
                steps = inflateSteps(stage.steps, objects, project, stage.vars);
            } catch (err) {
                findings.push({ stage: stage.name, step: "(inflation)", reason: (err as Error).message });
                stages.push({ name: stage.name, admission, promotions, notPromoted });
                continue;
            }
            let collection: Freight[] = [];
            for (const target of offered) {
                const next = buildTargetCollection(stage.requests, collection, target);
                const freightCtx: FreightContext = {
                    requests: stage.requests,
                    subscriptionsByWarehouse,
                    collection: next,
                };
                const workDir = join(root, "work", `${stage.name}-${target.name.slice(0, 7)}`);
                mkdirSync(workDir, { recursive: true });
                const pushes: PushRecord[] = [];
                const run = executePromotion(
                    {
                        project,
                        stage: stage.name,
                        promotion: `${stage.name}.rehearsal.${target.name.slice(0, 7)}`,
                        target,
                        freight: freightCtx,
                        promoVars: stage.vars,
                        steps,
                    },
                    {
                        git,
                        workDir,
                        project,
                        stage: stage.name,
                        promotion: `${stage.name}.rehearsal.${target.name.slice(0, 7)}`,
                        alias: "",
                        resolveRemote: (url) => remotes.byUrl.get(url),
                        authors: new Map(),
                        clonedFrom: new Map(),
                        applications,
                        argoAccess: opts.argoAccess,
                        pushes,
                    },
                );
                findings.push(...findingsOf(stage.name, target, run.records));
                // Kargo verifies the Stage's whole collection once the promotion succeeded; Freight whose
                // verification would error is never verified, so downstream never receives it.
                const verification =
                    run.phase === "Succeeded"
                        ? rehearseVerification(stage.object, objects, freightCtx)
                        : undefined;
                for (const reason of verification?.problems ?? []) {
                    findings.push({
                        stage: stage.name,
                        freight: describeFreight(target),
                        step: "(verification)",
                        reason,
                    });
                }
                promotions.push({
                    freight: target,
                    phase: run.phase,
                    records: run.records,
                    pushes,
                    ...(verification ? { verification } : {}),
                });
                if (run.phase === "Succeeded") {
                    collection = next;
                    if ((verification?.problems ?? []).length === 0)
                        verified.get(stage.name)?.add(target.name);
                }
            }
            stages.push({ name: stage.name, admission, promotions, notPromoted });
        }
        return {
            project,
            remote: remotes.report,
            notes: remotes.notes,
            freight,
            stages,
            findings,
            workDir: opts.keep ? root : undefined,
        };
    } finally {
        if (!opts.keep) rmSync(root, { recursive: true, force: true });
    }
}
