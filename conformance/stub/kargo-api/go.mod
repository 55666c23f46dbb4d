// Placeholder for github.com/akuity/kargo/api, which Kargo v1.11.2's go.mod requires at the
// non-existent version v0.0.0 (upstream resolves it with `replace => ./api`). The Go proxy here
// refuses the module at the v1.11.2 commit (v0.0.0-20260818015641-20c56384dc3a), so this empty
// module only satisfies the module graph: it holds no code, and no package the harness imports
// needs it (go build fails if one does). See docs/upstream.md.
module github.com/akuity/kargo/api

go 1.26.0
