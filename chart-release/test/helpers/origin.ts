import { execFileSync } from "node:child_process";
import path from "node:path";
import { commitVersion, createChartRepo, GitFixture } from "./git-fixture";

export interface OriginSetup {
    origin: string;
    /** A clone of origin as CI would have it after checkout, with identity configured. */
    clone(name: string): GitFixture;
}

/** A bare `origin` holding a chart at `version`, and a factory for working clones of it. */
export function createOrigin(root: string, version: string): OriginSetup {
    const seed = createChartRepo(path.join(root, "seed"));
    commitVersion(seed, version);
    const origin = path.join(root, "origin.git");
    execFileSync("git", ["clone", "--quiet", "--bare", seed.dir, origin]);
    return {
        origin,
        clone(name: string): GitFixture {
            const dir = path.join(root, name);
            execFileSync("git", ["clone", "--quiet", origin, dir]);
            const repo = new GitFixture(dir);
            repo.git("config", "user.name", `worker ${name}`);
            repo.git("config", "user.email", `${name}@example.invalid`);
            return repo;
        },
    };
}

/** Read from the bare origin. */
export function gitIn(dir: string, ...args: string[]): string {
    return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
}
