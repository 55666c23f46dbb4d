/**
 * Where each pinned upstream CRD and Kargo schema comes from, and its sha256. Used to fetch them into a
 * cache when CRD_DIR is unset; a file whose digest differs is refused. Kargo's URLs derive from the chart
 * version the stack installs (KARGO_CHART_VERSION); the others carry their release tag (CloudNativePG,
 * 1Password operator, Argo CD, Argo Rollouts). Renovate moves them (renovate.json), and a Kargo upgrade PR
 * re-pins the sha256 beside each Kargo file.
 */
import { KARGO_CHART_VERSION } from "../../components/config/kargo";

/** Kargo's files at the release the stack installs: a Kargo upgrade moves every URL below with it. */
const KARGO_RAW = "https://raw.githubusercontent.com/akuity/kargo/v" + KARGO_CHART_VERSION;

export interface CrdSource {
    /** Path under CRD_DIR (the same layout as the cache). */
    readonly path: string;
    readonly url: string;
    readonly sha256: string;
}

export const CRD_SOURCES: readonly CrdSource[] = [
    {
        path: "kargo/kargo.akuity.io_clusterconfigs.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_clusterconfigs.yaml",
        sha256: "ba96f2a17488e0f3878d1b4290a63fc7649c4e6b5d97577b4728e3ab49ba6f28",
    },
    {
        path: "kargo/kargo.akuity.io_clusterpromotiontasks.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_clusterpromotiontasks.yaml",
        sha256: "2d24b663ab1b2480aa5dcd3909e9978fb4e7a3ccb014ad7192fdd207301960b8",
    },
    {
        path: "kargo/kargo.akuity.io_freights.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_freights.yaml",
        sha256: "cc5e5ee2b611f7c6f79c69f798229f06e1303bf47592b9f4502b1f5af746aee1",
    },
    {
        path: "kargo/kargo.akuity.io_projectconfigs.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_projectconfigs.yaml",
        sha256: "ec3102999ba2b30d38273ea5a72ead3a30e70d84690e6522e87f084e6623a217",
    },
    {
        path: "kargo/kargo.akuity.io_projects.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_projects.yaml",
        sha256: "05ed175743aef3809bc996530e8cd0c30d7c2a3483d81d3b7a6c28c75a8a4ad8",
    },
    {
        path: "kargo/kargo.akuity.io_promotions.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_promotions.yaml",
        sha256: "8e9ede109552bbbb7e2d852b2e4c5ddf60cf758939ce6b6b5ea59d3a330d2cb8",
    },
    {
        path: "kargo/kargo.akuity.io_promotiontasks.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_promotiontasks.yaml",
        sha256: "a054faba9839aebc0835c167b56511974a839e98a458a1216c38963ccf871561",
    },
    {
        path: "kargo/kargo.akuity.io_stages.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_stages.yaml",
        sha256: "90eb26a47b973cff2fd4756b972e6a194d08f7dcaf404bb836d1b69c4c603039",
    },
    {
        path: "kargo/kargo.akuity.io_warehouses.yaml",
        url: KARGO_RAW + "/charts/kargo/resources/crds/kargo.akuity.io_warehouses.yaml",
        sha256: "974df89e6eaca0ff905f6a830d8a403bc00bd6e06d62809902058cc4026fd6d5",
    },
    {
        path: "cnpg/postgresql.cnpg.io_backups.yaml",
        url: "https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_backups.yaml",
        sha256: "694bafce2eda4603629657c2141a89189c15250c74215002a6987538d3d78ff5",
    },
    {
        path: "cnpg/postgresql.cnpg.io_clusters.yaml",
        url: "https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_clusters.yaml",
        sha256: "ae47f4a00f6e998faef57e480f9a3960cd48ea16a79270861fc7442601507472",
    },
    {
        path: "cnpg/postgresql.cnpg.io_scheduledbackups.yaml",
        url: "https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml",
        sha256: "1dffb969a92ed6b09abe59d9c848ff97c6646c7824e75f8e0b8379df8473a145",
    },
    {
        path: "argo/analysis-run-crd.yaml",
        url: "https://raw.githubusercontent.com/argoproj/argo-rollouts/v1.9.1/manifests/crds/analysis-run-crd.yaml",
        sha256: "eb1052e728aeb5e46eb1c1202958585eb48edc5ba25b406b7b41c1049009477d",
    },
    {
        path: "argo/analysis-template-crd.yaml",
        url: "https://raw.githubusercontent.com/argoproj/argo-rollouts/v1.9.1/manifests/crds/analysis-template-crd.yaml",
        sha256: "96a871705477bb8876f91630789ce753c8291f0ff5457a8cbc781ff150522369",
    },
    {
        path: "argo/application-crd.yaml",
        url: "https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.1/manifests/crds/application-crd.yaml",
        sha256: "5dde0e229249b6b707beb98674c1deae3949d5c319a6c45b9f5a80c99618e40c",
    },
    {
        path: "argo/cluster-analysis-template-crd.yaml",
        url: "https://raw.githubusercontent.com/argoproj/argo-rollouts/v1.9.1/manifests/crds/cluster-analysis-template-crd.yaml",
        sha256: "265283fa1dbf10a6b37c3b1e0ece97fa7fe561ca66da8521ca4b194297b31882",
    },
    {
        path: "onepassword/onepassword.com_onepassworditems.yaml",
        url: "https://raw.githubusercontent.com/1Password/onepassword-operator/v1.12.0/config/crd/bases/onepassword.com_onepassworditems.yaml",
        sha256: "18d40e18088ad58eed1fc6a4dd5eb1de8e7cec71e53abc39d8ef09b61bc0de0b",
    },
    {
        path: "kargo-schemas/promotion-steps/argocd-common.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/argocd-common.json",
        sha256: "d00eb8ba2fa7fd3bf30879b7174841716af2117c82e90cddca6753662142e804",
    },
    {
        path: "kargo-schemas/promotion-steps/argocd-update-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/argocd-update-config.json",
        sha256: "85c33f21b981aad0d841720d37a312562146d42604c038d49e4d34e52146e4a9",
    },
    {
        path: "kargo-schemas/promotion-steps/argocd-wait-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/argocd-wait-config.json",
        sha256: "edffb1e2312032bbf0d8039a71bf68a939ee3b2f7bbd03fbf56051915b92edd4",
    },
    {
        path: "kargo-schemas/promotion-steps/common.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/common.json",
        sha256: "33156e718a1506905bb9c5619882d46a2aa24920bc9eb3854ffeae52e13f718a",
    },
    {
        path: "kargo-schemas/promotion-steps/compose-output-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/compose-output-config.json",
        sha256: "167dd23d003a2b3489147ed7af1a0c19756f1a401b77b57f77d6ac33c572c45a",
    },
    {
        path: "kargo-schemas/promotion-steps/copy-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/copy-config.json",
        sha256: "70b8f64e29fcc4af77909e9a78a9786851230b36caddd735211e31abfa539982",
    },
    {
        path: "kargo-schemas/promotion-steps/delete-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/delete-config.json",
        sha256: "c9dbab9bc535b3ab12d67ef6a1dbd14c0d1a1e78f8e895c73ef3055a13ea7e6a",
    },
    {
        path: "kargo-schemas/promotion-steps/fail-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/fail-config.json",
        sha256: "51df3485eb074d70f2f08a3d3000acdf9faa81cf37dfdf9352f0bb13fde9b0ae",
    },
    {
        path: "kargo-schemas/promotion-steps/file-write-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/file-write-config.json",
        sha256: "7436be7b85fa1a7608f359d72b973a44f29aab64c9a33d8235b2e71bbd2b6007",
    },
    {
        path: "kargo-schemas/promotion-steps/git-clear-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-clear-config.json",
        sha256: "e53ee2b72c92a237471df84a3ec3cb57bc6520738c2764654255cc7493e44647",
    },
    {
        path: "kargo-schemas/promotion-steps/git-clone-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-clone-config.json",
        sha256: "7a50aad4abb13f5df3ba9f805d0ddb776def887f375b3c8feb3408e7940f1f19",
    },
    {
        path: "kargo-schemas/promotion-steps/git-commit-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-commit-config.json",
        sha256: "56509a5e9f5b1afcd28f15390d49b0b4ad3bc6694394b2e2149a861a1f8efeb3",
    },
    {
        path: "kargo-schemas/promotion-steps/git-merge-pr-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-merge-pr-config.json",
        sha256: "4c4a5903b18f9b875a45ba192f06cf3a6825849d2039b3c6aa21edc29af64d31",
    },
    {
        path: "kargo-schemas/promotion-steps/git-open-pr-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-open-pr-config.json",
        sha256: "a2da0fda320a3534fa99a812760f6fb4c4bd2d34aeaaaaba4141b67be222b20e",
    },
    {
        path: "kargo-schemas/promotion-steps/git-push-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-push-config.json",
        sha256: "4b0a2966cff823ebba03c014ae011bac50fe4736fe9a8ebaf0a46e8595836743",
    },
    {
        path: "kargo-schemas/promotion-steps/git-tag-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-tag-config.json",
        sha256: "814b1a7918a378af745e7f994511891f981c32c0b0fe96719c23cd9e0d511ef1",
    },
    {
        path: "kargo-schemas/promotion-steps/git-wait-for-pr-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/git-wait-for-pr-config.json",
        sha256: "82b74158bfe94f145b08f43e6cf1f07b28ebf8207c4c058b601727c317bd25ca",
    },
    {
        path: "kargo-schemas/promotion-steps/github-push-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/github-push-config.json",
        sha256: "55a4136965e76123b6fd202cf4d154a705c2db1eca6ae541670cc240dedc0e63",
    },
    {
        path: "kargo-schemas/promotion-steps/helm-template-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/helm-template-config.json",
        sha256: "50d434aa200e7941bd0aafa5dbf306e6c9bc2e338e851e4b2a744571327057c3",
    },
    {
        path: "kargo-schemas/promotion-steps/helm-update-chart-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/helm-update-chart-config.json",
        sha256: "8451dd84d630bb947b2d22d070a3500fb59117de6fd481a9e5fbee88d88ca855",
    },
    {
        path: "kargo-schemas/promotion-steps/http-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/http-config.json",
        sha256: "f6132060fd4c1a4077b28017a837caa74a034edc8ec5c184c34de84d1ff8a179",
    },
    {
        path: "kargo-schemas/promotion-steps/http-download-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/http-download-config.json",
        sha256: "6d41958d80b6197b4eb90647241428f859eb3fad6f14e607b52efadf281a7efe",
    },
    {
        path: "kargo-schemas/promotion-steps/json-parse-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/json-parse-config.json",
        sha256: "2af75e2330a4854ee585618dfb7096f5c0c15012978b6cb9b0800aa354932287",
    },
    {
        path: "kargo-schemas/promotion-steps/json-update-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/json-update-config.json",
        sha256: "7ed3b052976edcc850bc05366a2e695973eb8bae777813d1fb0087f7bbafc5a6",
    },
    {
        path: "kargo-schemas/promotion-steps/kustomize-build-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/kustomize-build-config.json",
        sha256: "8dc59b29a77e6c126b8cddf55e24c9e198566782667742a409e30fa99c11410b",
    },
    {
        path: "kargo-schemas/promotion-steps/kustomize-set-image-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/kustomize-set-image-config.json",
        sha256: "e4eba6a1bd10e35f291fbaacc813a908e83d4440f1ff216f90779ac33b3af282",
    },
    {
        path: "kargo-schemas/promotion-steps/oci-download-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/oci-download-config.json",
        sha256: "ced59c5de47e938ba0cb603f38a761f0edb5b318262ee5539887b36fc83da6d7",
    },
    {
        path: "kargo-schemas/promotion-steps/oci-push-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/oci-push-config.json",
        sha256: "e30f8a33094d62bcd54c1d555166466a291598f9fd6a94937ee1bf9740e80cf1",
    },
    {
        path: "kargo-schemas/promotion-steps/set-freight-alias-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/set-freight-alias-config.json",
        sha256: "42ae0b143c62de12477ab50b8c50f65a34af34e38c912154e3b06c24136037c9",
    },
    {
        path: "kargo-schemas/promotion-steps/set-metadata-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/set-metadata-config.json",
        sha256: "fc22f3e0a09b69a2f6d8c9666050ec031e94fd749d52eec13fc27b9653df842e",
    },
    {
        path: "kargo-schemas/promotion-steps/toml-parse-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/toml-parse-config.json",
        sha256: "34ed8612b2cb17ce92d156107a040e91e44c2d113c777eee829fc67dc8cc1fde",
    },
    {
        path: "kargo-schemas/promotion-steps/toml-update-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/toml-update-config.json",
        sha256: "1894e5bde79d859bc8f331d9db0e336ce31cb017995ac8ecd851583d3fa52dcc",
    },
    {
        path: "kargo-schemas/promotion-steps/untar-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/untar-config.json",
        sha256: "42d084685a0409741c2b295ebf7a624e4716ff4c1a503abaa3e7a9e9c67b20ae",
    },
    {
        path: "kargo-schemas/promotion-steps/yaml-merge-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/yaml-merge-config.json",
        sha256: "5eea79087b3c6235b0e1297687a4d4908a03e8c6ea03e01b2302508e8deaa063",
    },
    {
        path: "kargo-schemas/promotion-steps/yaml-parse-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/yaml-parse-config.json",
        sha256: "9f910785a84b9ed0b97439227630beafbb45c7174c88893a04f3263e38093e5b",
    },
    {
        path: "kargo-schemas/promotion-steps/yaml-update-config.json",
        url: KARGO_RAW + "/pkg/promotion/runner/builtin/schemas/yaml-update-config.json",
        sha256: "01a0bff48d03255c5dc3679c09f47e29171608765d42c6b0560a00a85df4f0d5",
    },
    {
        path: "kargo-schemas/subscriptions/chart.json",
        url: KARGO_RAW + "/pkg/subscription/schemas/chart.json",
        sha256: "08b21cddae69bb97342ff10fd9519e08c42c875c20c156ef5f01ddb289978469",
    },
    {
        path: "kargo-schemas/subscriptions/git.json",
        url: KARGO_RAW + "/pkg/subscription/schemas/git.json",
        sha256: "62beca3aa423697ed9f25506d4369f769a9003b24446287697c16d16d10affbd",
    },
    {
        path: "kargo-schemas/subscriptions/image.json",
        url: KARGO_RAW + "/pkg/subscription/schemas/image.json",
        sha256: "ea0ecbab23419a9a26593645cc7c782bef5e180ef560b2e4a9611ec38734d56d",
    },
];
