module.exports = { plugins: [["@semantic-release/commit-analyzer", { preset: "conventionalcommits" }]] };
