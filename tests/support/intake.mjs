// A real objector-intake for the node and browser tests: a fresh data folder, fast
// batches, the built widget and demo mode, on a loopback port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = resolve(fileURLToPath(import.meta.url), '../../..');
export const bin = (name) => join(root, 'build/native/bin', name);
// The assembled widget (web/ with the files generated from the core: constants.js, jurisdictions.js).
export const widgetDir = join(root, process.env.OBJECTOR_WASM_DIR ?? 'build/wasm', 'web');
export const widgetModule = (name) => import(pathToFileURL(join(widgetDir, name)).href);

// The wasm core, loaded in node from the build.
export async function testCore() {
  const wasmDir = resolve(process.env.OBJECTOR_WASM_DIR ?? join(root, 'build/wasm'));
  const { loadCore } = await import(pathToFileURL(join(wasmDir, 'objector-core.mjs')).href);
  return loadCore({ wasmBinary: readFileSync(join(wasmDir, 'objector-core.wasm')) });
}

// An intake that serves a test file's tests: started before the first,
// stopped and removed after the last.
export function liveIntake(tweak) {
  const intake = new Intake(tweak);
  before(() => intake.start());
  after(async () => {
    await intake.stop();
    intake.remove();
  });
  return intake;
}

export function freePort() {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

// Starts a server binary (a name in the build, or a path) and resolves once it logs that it listens.
async function spawnListening(binary, args) {
  const child = spawn(binary.includes('/') ? binary : bin(binary), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((done, fail) => {
    let log = '';
    child.stderr.on('data', (d) => { log += d; if (log.includes('event=listening')) done(); });
    child.on('exit', (code) => fail(new Error(`${binary} exited ${code}: ${log}`)));
  });
  return child;
}

async function kill(child) {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

export class Intake {
  // tweak(config): edits config.json before the first start (CORS origins, limits);
  // web: the folder it serves (the built widget and demo unless told).
  constructor(tweak = () => {}, { web = join(root, 'build/wasm/web') } = {}) {
    this.web = web;
    this.dir = mkdtempSync(join(tmpdir(), 'objector-browser-'));
    execFileSync(bin('objector-intake'), ['init', '--origin', 'social.example/ai-training', '--dir', this.dir]);
    const path = join(this.dir, 'config.json');
    const config = JSON.parse(readFileSync(path, 'utf8'));
    config.batch.interval_ms = 50;
    config.limits.rate_per_second = 0;
    tweak(config);
    writeFileSync(path, JSON.stringify(config));
    this.vkey = readFileSync(join(this.dir, 'log.vkey'), 'utf8').trim();
  }

  async start(port) {
    this.port = port ?? this.port ?? await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.process = await spawnListening('objector-intake', ['serve', '--dir', this.dir,
      '--listen', `127.0.0.1:${this.port}`, '--web', this.web, '--demo']);
  }

  async stop() {
    if (!this.process) return;
    await kill(this.process);
    this.process = null;
  }

  token(account, ttl = '1h') {
    return execFileSync(bin('objector-intake'), ['token', '--dir', this.dir, '--account', account, '--ttl', ttl, '--demo']).toString().trim();
  }

  async treeSize() {
    const text = await (await fetch(`${this.url}/checkpoint`)).text();
    return Number(text.split('\n')[1]);
  }

  verify(receiptPath) {
    return execFileSync(bin('objector-verify'), ['receipt', '--log-key', this.vkey, receiptPath]).toString();
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// A real SMTP server (tests/support/smtp_sink.py, Debian's aiosmtpd) that
// keeps every message it takes, for the e-mail path (config contact).
export class MailSink {
  async start() {
    this.dir = mkdtempSync(join(tmpdir(), 'objector-mail-'));
    this.port = await freePort();
    this.process = await spawnListening(join(root, 'tests/support/smtp_sink.py'),
      ['serve', '--dir', this.dir, '--listen', `127.0.0.1:${this.port}`]);
  }

  // config.json's contact for an intake that mails through this server.
  contact() { return { smtp_url: `smtp://127.0.0.1:${this.port}`, from: 'objections@social.example' }; }

  // Every message taken, oldest first: { to, subject, body } decoded.
  mails() {
    return readdirSync(this.dir).filter((n) => /^mail-\d+\.eml$/.test(n)).sort().map((n) => {
      const raw = readFileSync(join(this.dir, n), 'utf8');
      const subject = /^Subject: =\?UTF-8\?B\?([^?]+)\?=/m.exec(raw)[1];
      return {
        to: /^X-Envelope-To: (.*)\r$/m.exec(raw)[1],
        subject: Buffer.from(subject, 'base64').toString('utf8'),
        body: Buffer.from(raw.slice(raw.indexOf('\r\n\r\n') + 4).replace(/\s/g, ''), 'base64').toString('utf8'),
      };
    });
  }

  // The code in the newest message (its subject starts with it).
  lastCode() { return /^\d{6}/.exec(this.mails().at(-1).subject)[0]; }

  async stop() {
    if (this.process) await kill(this.process);
    this.process = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// An objector-witness witnessing `intake`'s log, on a loopback port.
export class Witness {
  constructor(name, intake) {
    this.dir = mkdtempSync(join(tmpdir(), 'objector-witness-'));
    this.vkey = execFileSync(bin('objector-witness'), ['init', '--name', name, '--dir', this.dir]).toString().trim();
    execFileSync(bin('objector-witness'), ['add-log', '--dir', this.dir, '--origin', 'social.example/ai-training',
      '--key', join(intake.dir, 'log.vkey')]);
  }

  async start() {
    this.port = this.port ?? await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.process = await spawnListening('objector-witness', ['serve', '--dir', this.dir,
      '--listen', `127.0.0.1:${this.port}`]);
  }

  async stop() {
    if (this.process) await kill(this.process);
    this.process = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// An intake whose checkpoints two witnesses must both cosign (the demo's set-up).
export async function witnessedIntake() {
  const intake = new Intake();
  const witnesses = [new Witness('witness-one.example/w', intake), new Witness('witness-two.example/w', intake)];
  for (const w of witnesses) await w.start();
  const policy = [`log ${intake.vkey}`, ...witnesses.map((w, i) => `witness w${i + 1} ${w.vkey}`),
    'group both all w1 w2', 'quorum both', ''].join('\n');
  const path = join(intake.dir, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8'));
  config.witnesses = witnesses.map((w, i) => ({ name: `w${i + 1}`, url: w.url, key: w.vkey }));
  config.policy = policy;
  writeFileSync(path, JSON.stringify(config));
  await intake.start();
  return { intake, witnesses, policy };
}
