import { describe, expect, it } from "vitest";
import { commandNamed, commands } from "../../src/cli/commands.js";
import { runCli } from "../helpers/cli.js";

describe("the command list, loaded on use", () => {
  it("names each command as its file defines it", async () => {
    for (const entry of commands) {
      const make = await entry.load();
      expect(make().name()).toBe(entry.name);
    }
  });

  it("finds the command after the global options and their values", () => {
    expect(commandNamed(["sync", "--full"])?.name).toBe("sync");
    expect(commandNamed(["--config", "sync", "plan"])?.name).toBe("plan");
    expect(commandNamed(["--env", "prod", "--config=x.yaml", "drift"])?.name).toBe("drift");
    expect(commandNamed(["--config=x.yaml", "export", "--kinds", "user"])?.name).toBe("export");
  });

  it("loads every command for help, --version and an unknown command", async () => {
    expect(commandNamed([])).toBeUndefined();
    expect(commandNamed(["--help"])).toBeUndefined();
    expect(commandNamed(["-V"])).toBeUndefined();
    expect(commandNamed(["help", "sync"])).toBeUndefined();
    expect(commandNamed(["synk"])).toBeUndefined();
    const help = await runCli(["--help"]);
    for (const entry of commands) expect(help.stdout).toMatch(new RegExp(`^  ${entry.name}\\b`, "m"));
    const unknown = await runCli(["synk"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'synk'[\s\S]*Did you mean sync\?/);
  });

  it("runs a named command with only its own file loaded, options and help as before", async () => {
    const help = await runCli(["sync", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: entra-gitops sync \[options\]/m);
    expect(help.stdout).toContain("--full");
    const bad = await runCli(["sync", "--no-such-option"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown option '--no-such-option'");
  });
});
