// The messages between the SDK (in the app's page), the embedded journey (Consentry's page in the SDK's iframe) and
// the sign-in popup. Every receiver checks the sender's window AND its origin before reading anything else.

import type { CodatLinkOptions, ConnectionCallbackArgs, ErrorCallbackArgs } from "@codat/sdk-link-types";

export const SDK = "consentry-sdk";
export const EMBED = "consentry-embed";
export const POPUP = "consentry-popup";

/** The URL fragment a top-level sign-in (popup blocked) comes back with: `#consentry-result={connectionId}:{status}`. */
export const RESULT_FRAGMENT = "consentry-result";

/** The options the SDK passes on: everything in CodatLinkOptions that survives structured cloning (no functions). */
export type EmbedOptions = Omit<CodatLinkOptions, "nonModal">;

export interface Resume {
  connectionId: string;
  status: number;
}

export type ToEmbed = {
  source: typeof SDK;
  type: "init";
  accessToken: string;
  options: EmbedOptions;
  hasClose: boolean;
  returnUrl: string;
  resume?: Resume;
};

export type FromEmbed = { source: typeof EMBED } & (
  | { type: "ready" }
  | { type: "connectionStarted"; connection: ConnectionCallbackArgs }
  | { type: "connection"; connection: ConnectionCallbackArgs }
  | { type: "consent"; text: string }
  | { type: "finish" }
  | { type: "close" }
  | { type: "error"; error: ErrorCallbackArgs }
  | { type: "navigate"; url: string }
);

export type FromPopup = { source: typeof POPUP; type: "oauthResult"; connectionId: string; status: number };

/** A message is read only when it comes from the expected window on the expected origin, with our envelope. */
export function trusted(event: { origin: string; source: unknown; data: unknown }, origin: string, source: unknown, envelope: string): boolean {
  if (event.origin !== origin || source == null || event.source !== source) return false;
  const data = event.data as { source?: unknown; type?: unknown } | null;
  return typeof data === "object" && data !== null && data.source === envelope && typeof data.type === "string";
}

/** Reads (and lets the caller strip) the result a top-level sign-in came back with. */
export function readResume(hash: string): Resume | undefined {
  const match = new RegExp(`(?:^#|&)${RESULT_FRAGMENT}=([0-9a-fA-F-]{36}):(\\d{3})(?:&|$)`).exec(hash);
  return match ? { connectionId: match[1].toLowerCase(), status: Number(match[2]) } : undefined;
}

/** The URL without the resume fragment (the rest of the fragment is kept). */
export function withoutResume(url: string): string {
  const [base, hash = ""] = url.split("#", 2);
  const rest = hash.split("&").filter((p) => p && !p.startsWith(`${RESULT_FRAGMENT}=`)).join("&");
  return rest ? `${base}#${rest}` : base;
}

/** The navigation the embedded journey may ask the page for: only the start of a sign-in on Consentry itself. */
export function isAuthorizeUrl(url: string, origin: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin && parsed.pathname === "/link/embed/authorize" && parsed.searchParams.has("ticket");
  } catch {
    return false;
  }
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: unknown): value is string {
  return typeof value === "string" && GUID.test(value);
}

/** A theme colour is used only when it is a plain hex colour (it ends up in CSS). */
export function safeColor(value: unknown): string | undefined {
  return typeof value === "string" && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value) ? value : undefined;
}
