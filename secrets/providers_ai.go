package secrets

// AI and machine-learning APIs.
var aiRules = []Rule{
	{ID: "huggingface-access-token", Description: "Hugging Face user access token", Keywords: []string{"hf_"}, match: tok("hf_", mkclass("a-zA-Z"), 34, 34, nil), prefix: 3},
	{ID: "huggingface-organization-api-token", Description: "Hugging Face organization API token", Keywords: []string{"api_org_"}, match: tok("api_org_", mkclass("a-zA-Z"), 34, 34, nil), prefix: 8},
	provider("cohere-api-token", "Cohere API key", []string{"cohere", "co_api"}, alnumN(40)),
	{ID: "perplexity-api-key", Description: "Perplexity API key", Keywords: []string{"pplx-"}, match: tok("pplx-", clsAlnum, 48, 48, nil), prefix: 5},
	provider("privateai-api-token", "Private AI API key", []string{"privateai", "private_ai", "private-ai"}, alnumN(32)),
	{ID: "groq-api-key", Description: "Groq API key", Keywords: []string{"gsk_"}, match: tok("gsk_", clsAlnum, 52, 52, nil), prefix: 4},
	{ID: "replicate-api-token", Description: "Replicate API token", Keywords: []string{"r8_"}, match: tok("r8_", clsAlnum, 37, 37, nil), prefix: 3},
	{ID: "xai-api-key", Description: "xAI (Grok) API key", Keywords: []string{"xai-"}, match: tok("xai-", clsAlnum, 80, 80, nil), prefix: 4},
	{ID: "langsmith-api-key", Description: "LangSmith API key", Keywords: []string{"lsv2_pt_", "lsv2_sk_"}, match: either(
		segs("lsv2_pt_", '_', clsLowerHex, [2]int{32, 32}, [2]int{10, 10}),
		segs("lsv2_sk_", '_', clsLowerHex, [2]int{32, 32}, [2]int{10, 10})), prefix: 8},
}
