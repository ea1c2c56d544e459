import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export const K8S_DIR = join(__dirname, '../../../../deploy/k8s');

/** A Kubernetes object as far as the deployment checks read it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
}

/** Every object of the files kustomization.yaml lists, in order. */
export function readManifests(): { resources: string[]; objects: K8sObject[] } {
  return readKustomization(K8S_DIR);
}

/** The objects of one kustomization folder's own files (a resource that is a folder, like `../`, is left out). */
export function readKustomization(dir: string): { resources: string[]; objects: K8sObject[] } {
  const kustomization = YAML.parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  const objects = kustomization.resources.filter((file) => file.endsWith('.yaml')).flatMap((file) =>
    YAML.parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((document) => document.toJSON() as K8sObject).filter(Boolean),
  );
  return { resources: kustomization.resources, objects };
}

/** The single object of `kind` named `name`; throws when there is none. */
export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return found;
}
