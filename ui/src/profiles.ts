// Where an account can be added, as the first screen offers it: Riot servers first (where
// YachtBots report since Igtimi's cloud closed), then the old API for compatible servers,
// then the demo. And the words around a sign-in: the button's label, what the form says
// about the password or token. Pure (no DOM): tested by scripts/helpers.test.mjs.

import type { ProfileView } from "./api";

/** The built-in profiles of the simulator inside Telltale (old API and Riot). */
export const DEMO_PROFILE_IDS: readonly string[] = ["simulator", "simulator-riot"];

export type ProfileGroupId = "riot" | "old-api" | "demo";

export interface ProfileGroup {
  id: ProfileGroupId;
  title: string;
  /** One line saying what the group is. */
  line: string;
  profiles: ProfileView[];
}

const GROUPS: readonly Omit<ProfileGroup, "profiles">[] = [
  {
    id: "riot",
    title: "Riot servers",
    line: "Where YachtBots report since Igtimi's cloud closed in January 2025 (device firmware 2.2 or later).",
  },
  {
    id: "old-api",
    title: "The old API, for compatible servers",
    line: "Servers and archives that still speak Igtimi's former API (igtimi.com itself is switched off).",
  },
  {
    id: "demo",
    title: "The demo",
    line: "A simulator inside Telltale with a made-up week of racing; nothing leaves this computer.",
  },
];

export function isDemoProfile(profile: ProfileView): boolean {
  return DEMO_PROFILE_IDS.includes(profile.id);
}

/** Which group the first screen lists `profile` under. */
export function profileGroup(profile: ProfileView): ProfileGroupId {
  if (isDemoProfile(profile)) {
    return "demo";
  }
  return profile.kind === "riot" ? "riot" : "old-api";
}

/** The profiles in the first screen's order: Riot, old API, demo (each in the backend's
 * order); groups with no profile are left out. */
export function groupProfiles(profiles: readonly ProfileView[]): ProfileGroup[] {
  return GROUPS.map((group) => ({
    ...group,
    profiles: profiles.filter((profile) => profileGroup(profile) === group.id),
  })).filter((group) => group.profiles.length > 0);
}

/** "wind.sapsailing.com" or "127.0.0.1:8080"; "" when `server` is not an address. */
export function serverHost(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return "";
  }
}

/** How a password sent to `server` travels. */
export type Connection = "secure" | "this-computer" | "plain";

export function connection(server: string): Connection {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return "plain";
  }
  if (url.protocol === "https:") {
    return "secure";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback =
    host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
  return loopback ? "this-computer" : "plain";
}

/** Igtimi's own cloud, switched off on 6 January 2025. */
export function isClosedIgtimiCloud(server: string): boolean {
  const host = serverHost(server).toLowerCase();
  return /(^|\.)(igtimi\.com|yacht-bot\.com)(:\d+)?$/.test(host);
}

/** The label of the button that opens the provider's sign-in page. */
export function signInLabel(profile: ProfileView): string {
  if (isDemoProfile(profile)) {
    return "Sign in to the demo";
  }
  const host = serverHost(profile.server);
  if (profile.kind === "igtimi" && host !== "") {
    return `Sign in at ${host}`;
  }
  return `Sign in to ${profile.name}`;
}

/** Where a password goes, in words: "to wind.sapsailing.com over a secure connection (https)". */
function whereTo(profile: ProfileView): string {
  const host = serverHost(profile.server) || profile.name;
  switch (connection(profile.server)) {
    case "secure":
      return `to ${host} over a secure connection (https)`;
    case "this-computer":
      return isDemoProfile(profile)
        ? "to the demo server on this computer"
        : `to ${host} on this computer`;
    case "plain":
      return `to ${host} over a connection that is not encrypted (http)`;
  }
}

/** What the user name and password form says before anything is typed. */
export function passwordHint(profile: ProfileView): string {
  return (
    `Telltale sends your user name and password once ${whereTo(profile)} and stores ` +
    "neither: it keeps only the sign-in the server returns, in the system keychain."
  );
}

/** Where a Riot token can be copied: the security service's `access_token` page, which
 * shows the signed-in user's token. */
export function tokenPage(profile: ProfileView): string {
  const base = profile.server.replace(/\/+$/, "");
  return base ? `${base}/security/api/restsecurity/access_token` : "";
}

/** What the paste-a-token form says. */
export function tokenHint(profile: ProfileView): string {
  const host = serverHost(profile.server) || profile.name;
  return (
    `Sign in on ${host}'s web pages, then open the address below in the same browser and ` +
    `copy the value after "access_token". Telltale checks it with the server and keeps it ` +
    "in the system keychain, like any sign-in."
  );
}

/** The user part of an account key (`<profile id>/<user>`): a Riot account's user name. */
export function accountUserPart(key: string, profileId: string): string | null {
  const prefix = `${profileId}/`;
  if (!key.startsWith(prefix)) {
    return null;
  }
  const user = key.slice(prefix.length);
  return user === "" ? null : user;
}
