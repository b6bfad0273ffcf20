// What the embedded journey shows: the client's settings (from the server) narrowed by the SDK's options. Pure, so it
// is unit tested without a browser.

import type { CodatTextOptions, ConnectionCallbackArgs } from "@codat/sdk-link-types";
import { dataTypeLabel } from "./labels";
import { inSentence, t } from "./i18n";

export { setLocale } from "./i18n";
import type { EmbedOptions } from "./protocol";

export type CategoryKey = "accounting" | "banking" | "commerce";

export interface Integration {
  key: string;
  name: string;
  sourceType: string;
  logoUrl: string;
  isSandbox: boolean;
  dataTypes: string[];
}

export interface ServerCategory {
  key: CategoryKey;
  title: string;
  sourceType: string;
  enabled: boolean;
  optional: boolean;
  fileUpload: boolean;
  fileUploadDescription?: string;
  integrations: Integration[];
  linked?: ConnectionCallbackArgs;
  uploads: number;
  skipped: boolean;
}

export interface ServerJourney {
  companyId: string;
  companyName: string;
  brandName: string;
  logoUrl?: string;
  primaryColor: string;
  showLandingPage: boolean;
  showSandboxIntegrations: boolean;
  showBadge: boolean;
  texts: {
    landingTitle?: string;
    landingSubtitle?: string;
    consentPurpose?: string;
    consentAccess?: string;
    consentRetention?: string;
    termsAndConditions?: string;
    termsAndConditionsUrl?: string;
  };
  categories: ServerCategory[];
}

export interface Category {
  key: CategoryKey;
  title: string;
  optional: boolean;
  enableIntegrations: boolean;
  /** Upload files instead: only where the client allows it, and (when sourceTypes is given) the option asks for it. */
  fileUpload: boolean;
  fileUploadDescription?: string;
  integrations: Integration[];
  dataTypes?: string[];
  linked?: ConnectionCallbackArgs;
  uploads: number;
  skipped: boolean;
}

/**
 * The categories to show. Without `sourceTypes`, the client's enabled categories; with it, exactly the categories it
 * lists (Codat: "you must list every category you want shown"), as long as the client has them enabled.
 */
export function planCategories(journey: ServerJourney, options: EmbedOptions): Category[] {
  const showSandboxes = options.showSandboxIntegrations ?? journey.showSandboxIntegrations;
  const sourceTypes = options.sourceTypes as Partial<Record<CategoryKey, { optional: boolean; enableIntegrations: boolean; enableFileUpload?: boolean; allowedIntegrations?: string[]; dataTypes?: string[] }>> | undefined;
  return journey.categories
    .filter((c) => c.enabled && (!sourceTypes || sourceTypes[c.key] !== undefined))
    .map((c) => {
      const o = sourceTypes?.[c.key];
      const allowed = o?.allowedIntegrations;
      return {
        key: c.key,
        title: c.title,
        optional: o ? Boolean(o.optional) : c.optional,
        enableIntegrations: o ? o.enableIntegrations !== false : true,
        fileUpload: c.key !== "commerce" && c.fileUpload && (o ? o.enableFileUpload === true : true),
        fileUploadDescription: c.fileUploadDescription,
        integrations: c.integrations.filter((i) => (showSandboxes || !i.isSandbox) && (!allowed || allowed.includes(i.key))),
        dataTypes: o?.dataTypes,
        linked: c.linked,
        uploads: c.uploads,
        skipped: c.skipped,
      };
    });
}

export function satisfied(c: Category): boolean {
  return c.linked !== undefined || c.uploads > 0 || (c.optional && c.skipped);
}

/** The required categories not linked or uploaded yet: what holds Complete back (an optional one never does). */
export function missing(categories: Category[]): Category[] {
  return categories.filter((c) => !satisfied(c) && !c.optional);
}

export function canComplete(categories: Category[]): boolean {
  return missing(categories).length === 0;
}

/** Why Complete is not available yet, in the customer's words ("To complete, connect accounting and banking."). */
export function missingText(categories: Category[]): string {
  const names = missing(categories).map((c) => inSentence(t(c.title)) + (c.fileUpload ? t(" (or upload files)") : ""));
  const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")}${t(" and ")}${names[names.length - 1]}`;
  return t("To complete, connect {0}.", list);
}

/** A text override (Markdown) by Codat's key, then the deprecated key it replaced, then the fallback. */
export function text(options: EmbedOptions, key: string, fallback: string, deprecated?: string): string {
  const texts = (options.text ?? {}) as CodatTextOptions & Record<string, unknown>;
  const value = texts[key] ?? (deprecated ? texts[deprecated] : undefined);
  return typeof value === "string" && value.trim().length > 0 ? value : fallback;
}

/** The Markdown of a category's consent screen: what onConsent receives and what the customer reads. */
export function consentMarkdown(journey: ServerJourney, options: EmbedOptions, category: Category, integration: Integration): string {
  const companyName = text(options, "companyName", journey.brandName);
  const k = category.key;
  const texts = journey.texts;
  const dataTypes = category.dataTypes ?? integration.dataTypes;
  const parts = [
    `**${text(options, `${k}.consents.title`, t("Connect {0}", integration.name))}**`,
    text(options, `${k}.consents.subtitle`, t("{0} asks to read your {1} data from {2}. You sign in at {2}; we never see your password.", companyName, inSentence(t(category.title)), integration.name)),
    `**${t("Purpose")}**: ${text(options, `${k}.consents.purpose`, texts.consentPurpose ?? t("{0} uses this data to assess and serve your business.", companyName))}`,
    `**${t("Access")}**: ${text(options, `${k}.consents.access`, texts.consentAccess ?? t("Read-only access. Nothing is changed in your account."))}`,
    ...(dataTypes.length > 0 ? [dataTypes.map((d) => `- ${dataTypeLabel(d)}`).join("\n")] : []),
    `**${t("Retention")}**: ${text(options, `${k}.consents.retention`, texts.consentRetention ?? t("Data is kept while you stay connected; you can disconnect at any time and ask for it to be deleted."))}`,
  ];
  const terms = text(options, `${k}.consents.termsAndConditions`, texts.termsAndConditions ?? "", `${k}.dataAccess.consent`);
  if (terms) parts.push(terms);
  if (texts.termsAndConditionsUrl) parts.push(`[${t("Terms and conditions")}](${texts.termsAndConditionsUrl})`);
  return parts.join("\n\n").replace(/\{(companyName|platformName)\}/g, (_, key: string) => (key === "companyName" ? companyName : integration.name));
}
