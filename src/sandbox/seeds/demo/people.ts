/**
 * Contoso's people: 48 employees in six departments, two break-glass accounts and a sync service
 * account. Every seeded user signs in with `DEMO_PASSWORD` (password grant against the sandbox).
 */
import { stableId } from "../stable-id.js";

export const DEMO_DOMAIN = "contoso.onmicrosoft.com";
/** The password of every demo user (documented in the README; the sandbox only). */
export const DEMO_PASSWORD = "Contoso-Demo-2026!";

export interface DemoUser {
  key: string;
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  department: string;
  jobTitle: string;
  accountEnabled: boolean;
}

const DEPARTMENTS: readonly [string, string, readonly string[]][] = [
  ["IT", "Systems Engineer", ["Alice Johnson", "Bob Smith", "Carlos Mendes", "Dana Kim", "Erik Larsen", "Farah Haddad", "Gustav Berg", "Hana Sato"]],
  ["Finance", "Financial Analyst", ["Ivan Petrov", "Julia Rossi", "Kofi Mensah", "Laura Schmidt", "Mateo Garcia", "Nina Novak", "Oscar Lindqvist", "Priya Nair"]],
  ["Sales", "Account Executive", ["Quinn Murphy", "Rosa Alvarez", "Sam Okafor", "Tara Walsh", "Umar Farouk", "Vera Ivanova", "Will Turner", "Xin Li"]],
  ["Marketing", "Marketing Specialist", ["Yara Costa", "Zoe Martin", "Aaron Cohen", "Bianca Moreau", "Chen Wei", "Diego Torres", "Elena Popescu", "Felix Wagner"]],
  ["Human Resources", "HR Business Partner", ["Grace Lee", "Hugo Dubois", "Ines Ferreira", "Jonas Meyer", "Keiko Tanaka", "Liam O'Brien", "Maya Patel", "Noah Fischer"]],
  ["Engineering", "Software Engineer", ["Olivia Brown", "Pedro Santos", "Rina Kobayashi", "Stefan Horvat", "Tomasz Nowak", "Ursula Keller", "Victor Hugo", "Wendy Zhang"]],
];

function upnOf(displayName: string): string {
  const [first, ...rest] = displayName.toLowerCase().replace(/'/g, "").split(" ");
  const local = first === "alice" || first === "bob" ? first : `${first}.${rest.join("")}`;
  return `${local}@${DEMO_DOMAIN}`;
}

function person(displayName: string, department: string, jobTitle: string): DemoUser {
  const [givenName = displayName, surname = ""] = displayName.split(" ");
  const userPrincipalName = upnOf(displayName);
  return {
    key: userPrincipalName.split("@")[0] ?? displayName,
    id: stableId(`user:${userPrincipalName}`),
    userPrincipalName,
    displayName,
    givenName,
    surname,
    department,
    jobTitle,
    accountEnabled: true,
  };
}

function account(local: string, displayName: string, jobTitle: string): DemoUser {
  const userPrincipalName = `${local}@${DEMO_DOMAIN}`;
  return { key: local, id: stableId(`user:${userPrincipalName}`), userPrincipalName, displayName, givenName: displayName, surname: "", department: "IT", jobTitle, accountEnabled: true };
}

export function demoUsers(): DemoUser[] {
  const employees = DEPARTMENTS.flatMap(([department, title, names]) => names.map((n, i) => person(n, department, i === 0 ? `${department} Lead` : title)));
  return [
    ...employees,
    account("breakglass01", "Break Glass 01", "Emergency access account"),
    account("breakglass02", "Break Glass 02", "Emergency access account"),
    account("svc-sync", "Sync Service Account", "Service account"),
  ];
}

export function userByKey(users: readonly DemoUser[], key: string): DemoUser {
  const user = users.find((u) => u.key === key);
  if (!user) throw new Error(`demo seed: no user '${key}'`);
  return user;
}

export function userBody(user: DemoUser): Record<string, unknown> {
  return {
    id: user.id,
    accountEnabled: user.accountEnabled,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    mailNickname: user.key,
    userPrincipalName: user.userPrincipalName,
    department: user.department,
    jobTitle: user.jobTitle,
    usageLocation: "US",
    passwordProfile: { password: DEMO_PASSWORD, forceChangePasswordNextSignIn: false },
  };
}
