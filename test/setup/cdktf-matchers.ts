/**
 * Registers cdktf's Testing matchers with vitest. cdktf 0.21 only ships a jest
 * adapter (`Testing.setupJest()`), which reaches for a global `expect`; here we
 * wire the same framework-neutral matcher functions into vitest's `expect`.
 */
import {
  getToHaveDataSourceWithProperties,
  getToHaveProviderWithProperties,
  getToHaveResourceWithProperties,
  type TerraformConstructor,
  toBeValidTerraform,
  toPlanSuccessfully,
} from "cdktf/lib/testing/matchers";
import { expect } from "vitest";

type Props = Record<string, unknown>;

/** Same partial-match semantics as cdktf's jest adapter: some item contains the properties. */
function partialMatch(items: unknown, asserted: Props): boolean {
  if (Object.keys(asserted).length === 0) return Array.isArray(items) && items.length > 0;
  return expect.arrayContaining([expect.objectContaining(asserted)]).asymmetricMatch(items);
}

function result(r: { pass: boolean; message: string }) {
  return { pass: r.pass, message: () => r.message };
}

const resource = getToHaveResourceWithProperties(partialMatch);
const dataSource = getToHaveDataSourceWithProperties(partialMatch);
const provider = getToHaveProviderWithProperties(partialMatch);

expect.extend({
  toHaveResource: (received: string, c: TerraformConstructor) => result(resource(received, c, {})),
  toHaveResourceWithProperties: (received: string, c: TerraformConstructor, p: Props) =>
    result(resource(received, c, p)),
  toHaveDataSource: (received: string, c: TerraformConstructor) =>
    result(dataSource(received, c, {})),
  toHaveDataSourceWithProperties: (received: string, c: TerraformConstructor, p: Props) =>
    result(dataSource(received, c, p)),
  toHaveProvider: (received: string, c: TerraformConstructor) => result(provider(received, c, {})),
  toHaveProviderWithProperties: (received: string, c: TerraformConstructor, p: Props) =>
    result(provider(received, c, p)),
  toBeValidTerraform: (received: string) => result(toBeValidTerraform(received)),
  toPlanSuccessfully: (received: string) => result(toPlanSuccessfully(received)),
});

interface CdktfMatchers<R = unknown> {
  toHaveResource(resource: TerraformConstructor): R;
  toHaveResourceWithProperties(resource: TerraformConstructor, properties: Props): R;
  toHaveDataSource(dataSource: TerraformConstructor): R;
  toHaveDataSourceWithProperties(dataSource: TerraformConstructor, properties: Props): R;
  toHaveProvider(provider: TerraformConstructor): R;
  toHaveProviderWithProperties(provider: TerraformConstructor, properties: Props): R;
  toBeValidTerraform(): R;
  toPlanSuccessfully(): R;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration
  interface Assertion<T = any> extends CdktfMatchers<T> {}
  interface AsymmetricMatchersContaining extends CdktfMatchers {}
}
