/**
 * Signature verification code for receivers, per language, for the signing
 * forms a webhook uses. Exactly what lib/delivery/signing.ts produces:
 * - Standard Webhooks: base64 HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}",
 *   keyed by base64-decoding the part after "whsec_"; header `webhook-signature: v1,<base64>`
 *   (several space-separated during a secret rotation).
 * - Hex: `sha256=<hex HMAC-SHA256(body)>` keyed by the secret's UTF-8 text as shown.
 * - Base64: `X-Webhook-Signature: <base64 HMAC-SHA256(body)>` keyed by the secret's text.
 */
export type TSigningForms = { standard: boolean; hexHeader: string | null; base64: boolean };
export type TSnippetLanguage = "node" | "python" | "csharp" | "powershell";

export const SNIPPET_LANGUAGES: { key: TSnippetLanguage; label: string }[] = [
  { key: "node", label: "Node.js" },
  { key: "python", label: "Python" },
  { key: "csharp", label: "C#" },
  { key: "powershell", label: "PowerShell" },
];

function node(f: TSigningForms): string {
  const parts = [
    `import crypto from "node:crypto";

// rawBody: the request body exactly as received (string), before any JSON parsing.
// headers: Node's lower-cased request headers. secret: the whsec_… signing secret.
const safeEqual = (a, b) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));`,
  ];
  if (f.standard)
    parts.push(`
export function verifyStandardWebhook(rawBody, headers, secret) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  if (!id || !timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false; // 5 min replay window
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = crypto.createHmac("sha256", key).update(\`\${id}.\${timestamp}.\${rawBody}\`).digest("base64");
  return (headers["webhook-signature"] ?? "").split(" ").some((part) => {
    const [version, signature] = part.split(",");
    return version === "v1" && safeEqual(signature ?? "", expected);
  });
}`);
  if (f.hexHeader)
    parts.push(`
export function verifyHexSignature(rawBody, headers, secret) {
  const received = headers["${f.hexHeader.toLowerCase()}"] ?? "";
  const expected = "sha256=" + crypto.createHmac("sha256", secret).update(rawBody).digest("hex");
  return safeEqual(received, expected);
}`);
  if (f.base64)
    parts.push(`
export function verifyBase64Signature(rawBody, headers, secret) {
  const received = headers["x-webhook-signature"] ?? "";
  const expected = crypto.createHmac("sha256", secret).update(rawBody).digest("base64");
  return safeEqual(received, expected);
}`);
  return parts.join("\n");
}

function python(f: TSigningForms): string {
  const parts = [
    `import base64
import hashlib
import hmac
import time

# raw_body: the request body bytes exactly as received. headers: a case-insensitive
# mapping (e.g. Flask's request.headers). secret: the whsec_… signing secret.`,
  ];
  if (f.standard)
    parts.push(`
def verify_standard_webhook(raw_body: bytes, headers, secret: str) -> bool:
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False  # 5 min replay window
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for part in headers.get("webhook-signature", "").split(" "):
        version, _, signature = part.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False`);
  if (f.hexHeader)
    parts.push(`
def verify_hex_signature(raw_body: bytes, headers, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("${f.hexHeader}", ""), expected)`);
  if (f.base64)
    parts.push(`
def verify_base64_signature(raw_body: bytes, headers, secret: str) -> bool:
    expected = base64.b64encode(hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(headers.get("X-Webhook-Signature", ""), expected)`);
  return parts.join("\n");
}

function csharp(f: TSigningForms): string {
  const parts = [
    `using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

// rawBody: the request body exactly as received (read it as a string before model binding).
// secret: the whsec_… signing secret.
static bool SafeEquals(string a, string b) =>
    CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));`,
  ];
  if (f.standard)
    parts.push(`
static bool VerifyStandardWebhook(string rawBody, string id, string timestamp, string signatureHeader, string secret)
{
    if (!long.TryParse(timestamp, out var ts) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - ts) > 300)
        return false; // 5 min replay window
    var key = Convert.FromBase64String(secret.StartsWith("whsec_") ? secret[6..] : secret);
    using var hmac = new HMACSHA256(key);
    var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{rawBody}")));
    return signatureHeader.Split(' ')
        .Select(part => part.Split(',', 2))
        .Any(p => p.Length == 2 && p[0] == "v1" && SafeEquals(p[1], expected));
}
// id, timestamp, signatureHeader: Request.Headers["webhook-id"], ["webhook-timestamp"], ["webhook-signature"]`);
  if (f.hexHeader)
    parts.push(`
static bool VerifyHexSignature(string rawBody, string signatureHeader /* Request.Headers["${f.hexHeader}"] */, string secret)
{
    using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
    var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(rawBody))).ToLowerInvariant();
    return SafeEquals(signatureHeader, expected);
}`);
  if (f.base64)
    parts.push(`
static bool VerifyBase64Signature(string rawBody, string signatureHeader /* Request.Headers["X-Webhook-Signature"] */, string secret)
{
    using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
    var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(rawBody)));
    return SafeEquals(signatureHeader, expected);
}`);
  return parts.join("\n");
}

function powershell(f: TSigningForms): string {
  const parts = [
    `# $RawBody: the request body exactly as received. $Secret: the whsec_… signing secret.`,
  ];
  if (f.standard)
    parts.push(`
function Test-StandardWebhook([string]$RawBody, [string]$Id, [string]$Timestamp, [string]$SignatureHeader, [string]$Secret) {
    $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    if ([Math]::Abs($now - [long]$Timestamp) -gt 300) { return $false }  # 5 min replay window
    $key = [Convert]::FromBase64String(($Secret -replace '^whsec_', ''))
    $hmac = [System.Security.Cryptography.HMACSHA256]::new($key)
    $signed = [Text.Encoding]::UTF8.GetBytes("$($Id).$($Timestamp).$RawBody")
    $expected = [Convert]::ToBase64String($hmac.ComputeHash($signed))
    foreach ($part in $SignatureHeader -split ' ') {
        $version, $signature = $part -split ',', 2
        if ($version -eq 'v1' -and $signature -ceq $expected) { return $true }
    }
    return $false
}
# Headers: webhook-id, webhook-timestamp, webhook-signature`);
  if (f.hexHeader)
    parts.push(`
function Test-HexSignature([string]$RawBody, [string]$SignatureHeader, [string]$Secret) {
    # $SignatureHeader: the ${f.hexHeader} header
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([Text.Encoding]::UTF8.GetBytes($Secret))
    $hash = $hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($RawBody))
    $expected = 'sha256=' + (-join ($hash | ForEach-Object { $_.ToString('x2') }))
    return $SignatureHeader -ceq $expected
}`);
  if (f.base64)
    parts.push(`
function Test-Base64Signature([string]$RawBody, [string]$SignatureHeader, [string]$Secret) {
    # $SignatureHeader: the X-Webhook-Signature header
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([Text.Encoding]::UTF8.GetBytes($Secret))
    $expected = [Convert]::ToBase64String($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($RawBody)))
    return $SignatureHeader -ceq $expected
}`);
  return parts.join("\n");
}

export function signatureSnippet(language: TSnippetLanguage, forms: TSigningForms): string {
  if (!forms.standard && !forms.hexHeader && !forms.base64) return "";
  switch (language) {
    case "node":
      return node(forms);
    case "python":
      return python(forms);
    case "csharp":
      return csharp(forms);
    case "powershell":
      return powershell(forms);
  }
}
