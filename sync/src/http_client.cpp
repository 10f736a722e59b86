#include "rekap/sync/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace rekap::sync {

namespace {
TransportFailure failureOf(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return TransportFailure::NoConnection;
    case CURLE_OPERATION_TIMEDOUT:
        return TransportFailure::TimedOut;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return TransportFailure::Tls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return TransportFailure::Interrupted;
    case CURLE_ABORTED_BY_CALLBACK:
        return TransportFailure::Cancelled;
    default:
        return TransportFailure::Other;
    }
}
} // namespace

namespace {
std::once_flag curlInit;

struct Transfer {
    const std::atomic<bool>* cancel = nullptr;
    const std::function<void(std::size_t, std::size_t)>* uploaded = nullptr;
    std::string body;
    std::vector<std::string> headers;
};

std::size_t onHeader(char* data, std::size_t size, std::size_t n, void* user) {
    auto& headers = static_cast<Transfer*>(user)->headers;
    std::string line(data, size * n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.pop_back();
    if (line.rfind("HTTP/", 0) == 0)
        headers.clear(); // a new answer (after a 100 Continue): only the last one's count
    else if (!line.empty())
        headers.push_back(std::move(line));
    return size * n;
}

std::size_t onData(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<Transfer*>(user)->body.append(data, size * n);
    return size * n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t ultotal, curl_off_t ulnow) {
    auto* t = static_cast<Transfer*>(user);
    if (t->uploaded && *t->uploaded && ultotal > 0)
        (*t->uploaded)(static_cast<std::size_t>(ulnow), static_cast<std::size_t>(ultotal));
    return t->cancel && t->cancel->load() ? 1 : 0; // non-zero aborts the transfer
}
} // namespace

void HttpClient::CurlCleanup::operator()(void* handle) const {
    curl_easy_cleanup(handle);
}

HttpClient::HttpClient(HttpOptions options)
    : options_(std::move(options)) {
    std::call_once(curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse HttpClient::send(const HttpRequest& req, const std::atomic<bool>* cancel,
                              const std::function<void(std::size_t, std::size_t)>& uploaded) const {
    // One handle for the client's life, reset between requests: curl_easy_reset keeps its open
    // connection, so a sync's push and pull share one TCP (and TLS) connection. On a 2G link
    // that saves a handshake's round trips and a few hundred bytes per request.
    std::lock_guard lock(mu_);
    if (!handle_) {
        handle_.reset(curl_easy_init());
        if (!handle_)
            throw TransportError("cannot start libcurl", false);
    }
    CURL* curl = handle_.get();
    curl_easy_reset(curl);
    Transfer transfer{cancel, &uploaded, {}, {}};
    curl_slist* headers = nullptr;
    for (const auto& h : req.headers)
        headers = curl_slist_append(headers, h.c_str());
    headers = curl_slist_append(headers, "Accept:");
    curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (req.method == "HEAD")
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (req.method != "GET" && req.method != "HEAD") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(req.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // gzip answers on slow links; only gzip, which the receiver speaks, and no "Accept: */*":
    // on 2G every header byte of every request counts.
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options_.requestTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options_.lowSpeedBytesPerSecond);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options_.lowSpeedSeconds);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.caFile.empty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, options_.caFile.c_str());
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);

    CURLcode rc = curl_easy_perform(curl);
    HttpResponse res;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res.status);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK)
        throw TransportError(req.method + " " + req.url + ": " + curl_easy_strerror(rc),
                             rc == CURLE_ABORTED_BY_CALLBACK, failureOf(rc));
    res.body = std::move(transfer.body);
    res.headers = std::move(transfer.headers);
    return res;
}

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& h : headers) {
        auto colon = h.find(':');
        if (colon != name.size() ||
            !std::equal(name.begin(), name.end(), h.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            }))
            continue;
        auto v = h.substr(colon + 1);
        auto b = v.find_first_not_of(" \t");
        return b == std::string::npos ? std::string() : v.substr(b);
    }
    return {};
}

} // namespace rekap::sync
