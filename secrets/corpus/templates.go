package corpus

var topDirs = []string{"src", "pkg", "internal", "services", "tools", "lib", "cmd", "config", "tests"}

var words = []string{
	"token", "key", "secret", "password", "user", "account", "session", "cache", "store", "client",
	"server", "handler", "request", "response", "config", "value", "index", "buffer", "stream", "queue",
	"worker", "order", "price", "market", "signal", "metric", "label", "parser", "lexer", "node",
	"tree", "graph", "route", "auth", "login", "api", "access", "refresh", "bearer", "credential",
	"hash", "digest", "encode", "decode", "cipher", "nonce", "salt", "vault", "policy", "role",
}

var goTmpl = []string{
	"func (t *$I) Next$W() (string, error) {",
	"\tif t.pos >= len(t.src) {",
	"\t\treturn \"\", io.EOF",
	"\t}",
	"\tkey := t.keys[t.pos] // lookup key $N",
	"\ttoken, err := t.tokenizer.NextToken()",
	"\tif err != nil { return nil, fmt.Errorf(\"read token: %w\", err) }",
	"}",
	"// $I returns the $W for the given key; the secret store is consulted first.",
	"\tpassword := os.Getenv(\"DB_PASSWORD\")",
	"\tcfg.APIKey = flags.apiKey",
	"\tsum := sha256.Sum256([]byte(\"$H\"))",
	"\tid := uuid.MustParse(\"$U\")",
	"\tm[\"$W\"] = $N",
	"\tif secretRef.Name == \"\" { secretRef.Name = \"$W-secret\" }",
	"\tlog.Printf(\"rotating access token for %s\", $I)",
	"var $I = map[string]int{\"$W\": $N, \"key\": $N}",
	"\tfor i, k := range keys { total += k.Weight * $N }",
	"\ttokenURL := \"https://auth.$W.internal/oauth/token\"",
}

var pyTmpl = []string{
	"def $I(self, key, token=None):",
	"    \"\"\"Return the $W for key, refreshing the access token if needed.\"\"\"",
	"    password = os.environ.get(\"PG_PASSWORD\")",
	"    if token is None:",
	"        token = self._session.refresh_token()",
	"    self.cache[key] = $N",
	"    digest = hashlib.sha1(b\"$H\").hexdigest()",
	"    return {\"id\": \"$U\", \"$W\": $N}",
	"class $I(Base$W):",
	"    secret_name = \"$W-secret\"",
	"    max_tokens = $N",
	"# TODO: move the api key lookup into the vault client",
	"    api_key = settings.API_KEY",
	"    for k, v in sorted(self.$W.items()):",
}

var yamlTmpl = []string{
	"$W:",
	"  name: $W-$N",
	"  replicas: $N",
	"  image: registry.local/$W:1.$N",
	"  secretKeyRef:",
	"    name: $W-credentials",
	"    key: password",
	"  checksum/config: $H",
	"  requestId: $U",
	"  tokenPath: /var/run/secrets/$W/token",
	"  password: ${DB_PASSWORD}",
	"  api_key: \"{{ .Values.$W.apiKey }}\"",
	"  # the access token is injected at deploy time",
}

var jsonTmpl = []string{
	`  "$W": $N,`,
	`  "$W_id": "$U",`,
	`  "integrity": "sha1-$H",`,
	`  "tokenEndpoint": "https://login.$W.internal/token",`,
	`  "keyName": "$W-key",`,
	`  "passwordPolicy": {"minLength": $N},`,
	`  "description": "Rotates the $W secret every $N hours",`,
}

var envTmpl = []string{
	"$W_HOST=$W.internal",
	"$W_PORT=$N",
	"# $W settings",
	"LOG_LEVEL=debug",
	"TOKEN_TTL=$N",
	"PASSWORD_MIN_LENGTH=12",
	"CACHE_KEY_PREFIX=$W",
	"BUILD_SHA=$H",
}

var xmlTmpl = []string{
	"  <$W>$N</$W>",
	"  <name>$W</name>",
	"  <tokenUrl>https://auth.$W.internal/token</tokenUrl>",
	"  <keyAlias>$W</keyAlias>",
	"  <passwordRef>$W-password</passwordRef>",
	"  <id>$U</id>",
}

var mdTmpl = []string{
	"## Configuring the $W",
	"Set the token in your environment before running the $W service.",
	"The API key is read from the vault; never commit secrets to the repository.",
	"| $W | $N | key |",
	"```",
	"export API_KEY=<your-api-key>",
	"```",
	"See the password policy for details ($N characters minimum).",
	"Commit $H fixed the token refresh.",
}

var logTmpl = []string{
	"2026-11-26T10:00:00Z INFO request id=$U path=/api/$W status=200 dur=$Nms",
	"2026-11-26T10:00:01Z DEBUG token refreshed for session $U",
	"2026-11-26T10:00:02Z WARN slow query on $W ($Nms) key=$W:$N",
	"2026-11-26T10:00:03Z INFO build $H deployed",
	"2026-11-26T10:00:04Z INFO connected to 127.0.0.1:$N as $W",
	"2026-11-26T10:00:05Z ERROR password authentication failed for user \"$W\"",
}
