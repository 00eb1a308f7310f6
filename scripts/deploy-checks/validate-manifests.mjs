// Checks every document of the rendered manifests given as arguments against the Kubernetes, Gateway API and
// KEDA schemas (npm kubernetes-models), and the AWS Load Balancer Controller kinds against a local schema.
// Also enforces the chart rules that no schema knows: app.kubernetes.io labels and the container security context.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';

const modelPackages = ['kubernetes-models', '@kubernetes-models/gateway-api', '@kubernetes-models/keda'];
const awsSchemas = JSON.parse(readFileSync(new URL('./aws-load-balancer-controller.schema.json', import.meta.url)));
const ajv = new Ajv({ allErrors: true, strict: false });

async function loadModel(apiVersion, kind) {
  for (const pkg of modelPackages) {
    try {
      const module = await import(`${pkg}/${apiVersion}/${kind}`);
      return module[kind];
    } catch (error) {
      if (error.code !== 'ERR_MODULE_NOT_FOUND' && error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    }
  }
  return undefined;
}

function checkConventions(doc, where, problems) {
  const labels = doc.metadata?.labels ?? {};
  for (const key of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by']) {
    if (!labels[key]) problems.push(`${where}: label ${key} is missing`);
  }
  const podSpec = doc.kind === 'Deployment' || doc.kind === 'Job' ? doc.spec?.template?.spec : undefined;
  if (!podSpec) return;
  if (podSpec.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot is not true`);
  for (const container of [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])]) {
    const context = container.securityContext ?? {};
    const name = `${where} container ${container.name}`;
    if (context.readOnlyRootFilesystem !== true) problems.push(`${name}: readOnlyRootFilesystem is not true`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation is not false`);
    if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push(`${name}: capabilities do not drop ALL`);
    if (context.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
  }
}

const problems = [];
let checked = 0;
for (const file of process.argv.slice(2)) {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const [index, document] of documents.entries()) {
    if (document.errors.length > 0) {
      problems.push(`${file}#${index}: ${document.errors[0].message}`);
      continue;
    }
    const doc = document.toJS();
    if (doc === null || doc === undefined) continue;
    const where = `${file}: ${doc.kind}/${doc.metadata?.name}`;
    if (!doc.apiVersion || !doc.kind) {
      problems.push(`${file}#${index}: apiVersion or kind is missing`);
      continue;
    }
    checked++;
    checkConventions(doc, where, problems);
    if (doc.apiVersion === 'gateway.k8s.aws/v1beta1' && awsSchemas[doc.kind]) {
      const validate = ajv.compile(awsSchemas[doc.kind]);
      if (!validate(doc)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
      continue;
    }
    const Model = await loadModel(doc.apiVersion, doc.kind);
    if (!Model) {
      problems.push(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
  }
}

if (checked === 0) problems.push('no manifests were given');
for (const problem of problems) console.error(`  ${problem}`);
console.log(`manifests: ${checked} checked, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
