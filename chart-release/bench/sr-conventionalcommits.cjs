module.exports = { tagFormat: "v${version}", plugins: [["@semantic-release/commit-analyzer", { preset: "conventionalcommits" }]] };
