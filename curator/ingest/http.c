/* PLACEHOLDER: replaced by the real HTTP client. */
#include <stdlib.h>

#include "ingest/ingest.h"

void
http_response_init(struct http_response *resp)
{
	resp->status = 0;
	buf_init(&resp->body, 0);
	resp->content_type = resp->charset = resp->effective_url = NULL;
	resp->etag = resp->last_modified = NULL;
	resp->retry_after = -1;
}

void
http_response_release(struct http_response *resp)
{
	buf_release(&resp->body);
	free(resp->content_type);
	free(resp->charset);
	free(resp->effective_url);
	free(resp->etag);
	free(resp->last_modified);
	http_response_init(resp);
}

int
http_get(struct report *rep, const struct http_options *opts, const char *url,
	 const char *const *extra_headers, struct http_response *resp)
{
	struct report_pos pos = { url, 0, 0 };

	(void)opts;
	(void)extra_headers;
	(void)resp;
	return report_error(rep, &pos, "HTTP is not written yet");
}

void
http_options_from_env(struct http_options *opts)
{
	(void)opts;
}
