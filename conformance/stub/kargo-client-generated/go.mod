// Placeholder for github.com/akuity/kargo/pkg/x/client/generated, required by Kargo v1.11.2's go.mod
// at the non-existent version v0.0.0 (upstream: `replace => ./pkg/x/client/generated`). Not served
// here at the v1.11.2 commit; this empty module only satisfies the module graph and holds no code.
module github.com/akuity/kargo/pkg/x/client/generated

go 1.26.0
