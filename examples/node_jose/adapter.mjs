// idtoken-conformance adapter (protocol 1) for jose on Node.js: JSON lines on stdin/stdout.
// Install once: npm ci --prefix examples/node_jose
// Target spec:  exec:node examples/node_jose/adapter.mjs
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createLocalJWKSet, errors, jwtVerify } from "jose";

const joseVersion = JSON.parse(
  readFileSync(new URL("./node_modules/jose/package.json", import.meta.url), "utf8"),
).version;

// jose error code -> reason code (docs/protocol.md); claim failures are told apart by the claim.
function reasonFor(error) {
  switch (error.code) {
    case "ERR_JWT_EXPIRED":
      return "expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      if (error.reason === "missing") return "missing_claim";
      if (error.claim === "iss") return "issuer";
      if (error.claim === "aud") return "audience";
      return "claim_type";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "signature";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "algorithm";
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
    case "ERR_JWKS_INVALID":
      return "key";
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
      return "malformed";
    default:
      return undefined;
  }
}

async function validate(token, ctx) {
  const { payload } = await jwtVerify(token, createLocalJWKSet(ctx.jwks), {
    issuer: ctx.domain,
    audience: ctx.application_id,
    algorithms: ["RS256"],
    requiredClaims: ["iss", "sub", "aud", "exp", "iat"], // the claims OIDC Core requires in an ID token
    currentDate: new Date(ctx.now * 1000),
  });
  return payload;
}

async function answer(request) {
  try {
    return { result: "accept", claims: await validate(request.token, request.context) };
  } catch (error) {
    if (error instanceof errors.JOSEError) {
      return { result: "reject", reason: reasonFor(error), message: `${error.code}: ${error.message}` };
    }
    return { result: "error", message: String(error), traceback: error?.stack ?? "" };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  const request = JSON.parse(line);
  let reply;
  if (request.cmd === "start") {
    reply = {
      ready: true,
      protocol: 1,
      implementation: { name: "jose", version: joseVersion, language: "javascript" },
      capabilities: { returns: "claims", reasons: true },
    };
  } else if (request.cmd === "validate") {
    reply = { id: request.id, ...(await answer(request)) };
  } else {
    break; // "stop"
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
