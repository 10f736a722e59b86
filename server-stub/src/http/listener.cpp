// The only translation unit that includes Boost.Beast and Boost.Asio (they are heavy to compile).
// One session per connection, plain or TLS, written once for both (CRTP, as Beast's own
// advanced server example does): read a request's header, admit it from the header (on the
// worker pool), read its body within deadlines, size limits and the shared budget of buffered
// bytes, hand it to the worker pool, write the answer (a file from disk as it goes), and go back
// to waiting, or close.

#include "listener.h"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "worker_pool.h"

namespace rekap::central::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Members in this order so that sessions still queued in the loop when it is destroyed find
// the counters and the TLS context alive.
struct Listener::Impl {
    ListenerOptions options;
    ListenerHooks hooks;
    std::atomic<std::size_t> connections{0};
    std::atomic<std::size_t> buffered{0}; ///< request body bytes held (options.bufferedLimit)
    std::mutex bufferedMu;
    std::unordered_map<std::string, std::size_t> bufferedBy; ///< per caller (bufferedPerCaller)
    std::atomic<bool> stopping{false};
    std::optional<ssl::context> tls;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::vector<std::thread> threads;
    WorkerPool pool;

    Impl(ListenerOptions o, ListenerHooks h)
        : options(std::move(o))
        , hooks(std::move(h))
        , pool(std::max(1, options.workers), options.queueLimit) {}
    void accept();
};

namespace {

std::pair<std::string, std::string> splitTarget(std::string_view target) {
    auto q = target.find('?');
    if (q == std::string_view::npos)
        return {std::string(target), {}};
    return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

void parseQuery(const std::string& query, std::multimap<std::string, std::string>& out) {
    std::size_t pos = 0;
    while (pos <= query.size() && !query.empty()) {
        auto amp = query.find('&', pos);
        auto part = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        if (!part.empty()) {
            auto eq = part.find('=');
            out.emplace(percentDecode(part.substr(0, eq), true),
                        eq == std::string::npos ? std::string()
                                                : percentDecode(part.substr(eq + 1), true));
        }
        if (amp == std::string::npos)
            break;
        pos = amp + 1;
    }
}

/// A body's share of Impl::buffered and of its caller's part of it, given back when destroyed.
class BufferCharge {
public:
    BufferCharge(Listener::Impl& server, std::string caller)
        : server_(server)
        , caller_(std::move(caller)) {}
    ~BufferCharge() {
        server_.buffered -= bytes_;
        std::lock_guard lock(server_.bufferedMu);
        auto it = server_.bufferedBy.find(caller_);
        if (it != server_.bufferedBy.end() && (it->second -= bytes_) == 0)
            server_.bufferedBy.erase(it);
    }
    BufferCharge(const BufferCharge&) = delete;
    BufferCharge& operator=(const BufferCharge&) = delete;
    /// Counts the body as `now` bytes; false when that takes the total or the caller's share
    /// over its limit. Less than before gives the difference back (an inflation given up).
    bool grow(std::size_t now) {
        if (now < bytes_) {
            auto less = bytes_ - now;
            bytes_ = now;
            server_.buffered -= less;
            std::lock_guard lock(server_.bufferedMu);
            server_.bufferedBy[caller_] -= less;
            return true;
        }
        if (now == bytes_)
            return true;
        auto more = now - bytes_;
        bytes_ = now;
        bool fits = server_.buffered.fetch_add(more) + more <= server_.options.bufferedLimit;
        std::lock_guard lock(server_.bufferedMu);
        auto& mine = server_.bufferedBy[caller_];
        mine += more;
        return fits && mine <= server_.options.bufferedPerCaller;
    }

private:
    Listener::Impl& server_;
    std::string caller_;
    std::size_t bytes_ = 0;
};

/// RFC 9112 6.1: the only transfer coding taken is one "chunked", never beside a
/// Content-Length. Anything else is refused, not framed by its length: that would leave a
/// request hidden in the body to be answered next (request smuggling).
template <class Head> std::string badFraming(const Head& h) {
    int codings = 0;
    for (const auto& f : h) {
        if (f.name() != bhttp::field::transfer_encoding)
            continue;
        ++codings;
        auto v = f.value();
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
            v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
            v.remove_suffix(1);
        if (!beast::iequals(v, "chunked"))
            return "Transfer-Encoding \"" + std::string(f.value().substr(0, 40)) +
                   "\" is not taken: only chunked";
    }
    if (codings > 1)
        return "Transfer-Encoding given more than once";
    if (codings == 1 && h.find(bhttp::field::content_length) != h.end())
        return "Transfer-Encoding and Content-Length together";
    return {};
}

template <class Derived> class Session : public std::enable_shared_from_this<Derived> {
public:
    Session(Listener::Impl& server, std::string peer)
        : server_(server)
        , peer_(std::move(peer)) {
        ++server_.connections;
    }
    ~Session() { --server_.connections; }

protected:
    Derived& self() { return static_cast<Derived&>(*this); }

    /// Waits for the first byte of the next request: a kept-alive connection may wait only the
    /// short idle timeout, a new one the header timeout.
    void awaitRequest() {
        if (server_.stopping)
            return self().close();
        if (buffer_.size() > 0)
            return readHeader();
        auto& lowest = beast::get_lowest_layer(self().stream());
        lowest.expires_after(served_ ? server_.options.idleTimeout : server_.options.headerTimeout);
        self().stream().async_read_some(
            buffer_.prepare(4096),
            [s = self().shared_from_this()](beast::error_code ec, std::size_t n) {
                if (ec)
                    return s->close();
                s->buffer_.commit(n);
                s->readHeader();
            });
    }

    void readHeader() {
        started_ = Clock::now();
        caller_.clear();
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_.options.headerLimit));
        // Checked against the route's limit once the header is known. Not boost::none: 1.74
        // compares a Content-Length with an empty limit as over it.
        parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
        bytesIn_ = buffer_.size();
        auto& lowest = beast::get_lowest_layer(self().stream());
        lowest.expires_at(started_ + server_.options.headerTimeout);
        bhttp::async_read_header(self().stream(), buffer_, *parser_,
                                 [s = self().shared_from_this()](beast::error_code ec,
                                                                 std::size_t) { s->onHeader(ec); });
    }

    void onHeader(beast::error_code ec) {
        if (ec == bhttp::error::body_limit)
            return refuse(Problem::PayloadTooLarge, "request body too large");
        if (ec == bhttp::error::header_limit)
            return refuse(Problem::HeaderTooLarge, "request header over " +
                                                       std::to_string(server_.options.headerLimit) +
                                                       " bytes");
        if (ec)
            return failRead(ec);
        const auto& h = parser_->get();
        if (auto why = badFraming(h); !why.empty())
            return refuse(Problem::BadRequest, why);
        auto [path, query] = splitTarget(h.target());
        limits_ =
            server_.hooks.limitsFor(std::string(h.method_string()), percentDecode(path, false));
        if (auto length = parser_->content_length(); length && *length > limits_.body)
            return refuse(Problem::PayloadTooLarge,
                          "request body over " + std::to_string(limits_.body) + " bytes");
        parser_->body_limit(limits_.body);
        if (parser_->is_done() || !server_.hooks.admit)
            return admitted();
        // Admitted from the header before one byte of the body is read (on the pool: checking a
        // token may wait for the store).
        auto head = std::make_shared<Request>();
        fillHead(*head, h);
        auto res = std::make_shared<Response>();
        auto s = self().shared_from_this();
        bool queued = server_.pool.trySubmit([s, head, res] {
            bool ok = false;
            try {
                ok = s->server_.hooks.admit(*head, *res);
            } catch (const std::exception& e) {
                *res = Response{};
                s->server_.hooks.fail(*res, Problem::Internal, e.what());
            }
            net::post(s->stream().get_executor(), [s, head, res, ok] {
                if (ok) {
                    s->caller_ = head->user.empty() ? head->client : head->user;
                    return s->admitted();
                }
                head->route = "(refused)";
                s->refuseWith(head, res);
            });
        });
        if (!queued)
            return refuse(Problem::Busy, "the receiver is busy: try again shortly", "1");
    }

    void admitted() {
        const auto& h = parser_->get();
        auto expect = h[bhttp::field::expect];
        if (!expect.empty() && beast::iequals(expect, "100-continue")) {
            auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(
                bhttp::status::continue_, h.version());
            auto& lowest = beast::get_lowest_layer(self().stream());
            lowest.expires_after(server_.options.writeTimeout);
            return bhttp::async_write(
                self().stream(), *cont,
                [s = self().shared_from_this(), cont](beast::error_code e, std::size_t) {
                    if (e)
                        return s->close();
                    s->readBody();
                });
        }
        readBody();
    }

    void readBody() {
        auto& lowest = beast::get_lowest_layer(self().stream());
        // One deadline for the whole request, from its first byte: a slow sender cannot hold
        // the connection longer by sending a byte now and then.
        lowest.expires_at(started_ + server_.options.requestTimeout);
        if (parser_->is_done())
            return onBody({});
        if (!charge_)
            charge_ = std::make_shared<BufferCharge>(server_, caller_.empty() ? peer_ : caller_);
        // In steps, each counted against the budget shared by all connections: 150 unfinished
        // bodies of 8 MiB must not take 1.2 GB between them.
        bhttp::async_read_some(
            self().stream(), buffer_, *parser_,
            [s = self().shared_from_this()](beast::error_code ec, std::size_t n) {
                s->bytesIn_ += n;
                if (ec)
                    return s->onBody(ec);
                if (!s->charge_->grow(s->parser_->get().body().size() + s->buffer_.capacity()))
                    return s->refuse(Problem::Busy,
                                     "the receiver holds too many request bodies: try again "
                                     "shortly",
                                     "2");
                s->readBody();
            });
    }

    void failRead(beast::error_code ec) {
        // A parse error is answered; a timeout, a reset or an end of stream just closes.
        if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
            ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
            return refuse(Problem::BadRequest, "malformed HTTP request: " + ec.message());
        close();
    }

    void onBody(beast::error_code ec) {
        if (ec == bhttp::error::body_limit)
            return refuse(Problem::PayloadTooLarge,
                          "request body over " + std::to_string(limits_.body) + " bytes");
        if (ec)
            return failRead(ec);
        auto& h = parser_->get();
        auto req = std::make_shared<Request>();
        fillHead(*req, h);
        req->rawBody = std::move(h.body());
        req->contentEncoding = std::string(h[bhttp::field::content_encoding]);
        // What the body inflates to is held too, on the same budget and share: one request
        // never more than half the caller's share (413, not 503: it would never fit), so that
        // its next body, sent while this one's answer is still being written, fits beside it.
        // Real pushes inflate to a few hundred KiB (docs/protocol.md).
        auto raw = req->rawBody.size();
        auto half = server_.options.bufferedPerCaller / 2;
        req->decodedLimit = std::min(limits_.decoded, half > raw ? half - raw : 0);
        if (!charge_)
            charge_ = std::make_shared<BufferCharge>(server_, caller_.empty() ? peer_ : caller_);
        req->growBudget = [charge = charge_](std::size_t bytes) { return charge->grow(bytes); };
        req->budget = std::move(charge_);
        keepAlive_ = h.keep_alive();
        version_ = h.version();
        parser_.reset();
        auto s = self().shared_from_this();
        bool queued = server_.pool.trySubmit([s, req] {
            auto res = std::make_shared<Response>();
            try {
                s->server_.hooks.serve(*req, *res);
            } catch (const std::exception& e) {
                *res = Response{};
                s->server_.hooks.fail(*res, Problem::Internal, e.what());
            }
            net::post(s->stream().get_executor(), [s, req, res] { s->write(req, res, false); });
        });
        if (!queued) {
            auto res = std::make_shared<Response>();
            server_.hooks.fail(*res, Problem::Busy, "the receiver is busy: try again shortly");
            res->setHeader("Retry-After", "1");
            req->budget.reset();
            write(req, res, false);
        }
    }

    template <class Head> void fillHead(Request& req, const Head& h) {
        req.method = std::string(h.method_string());
        req.target = std::string(h.target());
        auto [path, query] = splitTarget(req.target);
        req.path = percentDecode(path, false);
        parseQuery(query, req.params);
        for (const auto& f : h)
            req.headers.add(std::string(f.name_string()), std::string(f.value()));
        req.peer = peer_;
        req.client = peer_;
        req.secure = Derived::kSecure;
    }

    /// Answers an error the listener found itself, then closes: the rest of the request is
    /// not read (its body may be huge, or never come).
    void refuse(Problem problem, const std::string& message, const std::string& retryAfter = {}) {
        auto req = std::make_shared<Request>();
        if (parser_ && parser_->is_header_done()) {
            fillHead(*req, parser_->get());
            version_ = parser_->get().version();
        } else {
            req->peer = req->client = peer_;
            req->secure = Derived::kSecure;
        }
        req->route = "(refused)";
        auto res = std::make_shared<Response>();
        server_.hooks.fail(*res, problem, message);
        if (!retryAfter.empty())
            res->setHeader("Retry-After", retryAfter);
        refuseWith(req, res);
    }

    /// Writes a refusal and closes after it; what was read of the body is let go first.
    void refuseWith(std::shared_ptr<Request> req, std::shared_ptr<Response> res) {
        if (parser_)
            version_ = parser_->get().version();
        parser_.reset();
        charge_.reset();
        linger_ = true;
        write(req, res, true);
    }

    void write(std::shared_ptr<Request> req, std::shared_ptr<Response> res, bool close) {
        bool keep = keepAlive_ && !close && !server_.stopping;
        if (!res->file.empty()) {
            bhttp::file_body::value_type file;
            beast::error_code ec;
            file.open(res->file.c_str(), beast::file_mode::scan, ec);
            if (!ec && req->method != "HEAD") {
                auto out = std::make_shared<bhttp::response<bhttp::file_body>>();
                std::size_t bytes = file.size();
                out->body() = std::move(file);
                return send(req, res, out, bytes, bytes, keep);
            }
            if (ec) { // gone between the handler's check and now
                *res = Response{};
                server_.hooks.fail(*res, Problem::NotFound, "the file is gone");
            } else {
                auto out = std::make_shared<bhttp::response<bhttp::empty_body>>();
                return send(req, res, out, file.size(), 0, keep);
            }
        }
        auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
        std::size_t length = res->body.size(); // for HEAD: the GET's length, and no body
        if (req->method != "HEAD")
            out->body() = std::move(res->body);
        std::size_t bodyBytes = out->body().size();
        send(req, res, out, length, bodyBytes, keep);
    }

    template <class Body>
    void send(std::shared_ptr<Request> req, std::shared_ptr<Response> res,
              std::shared_ptr<bhttp::response<Body>> out, std::size_t length, std::size_t bodyBytes,
              bool keep) {
        out->version(version_ ? version_ : 11);
        out->result(static_cast<unsigned>(res->status));
        // The length first, as clients have always seen it: a client whose answer is cut
        // inside the header then knows it is incomplete.
        out->content_length(length);
        for (const auto& [name, value] : res->headers.all())
            out->insert(name, value);
        out->keep_alive(keep);
        auto& lowest = beast::get_lowest_layer(self().stream());
        lowest.expires_after(server_.options.writeTimeout);
        bhttp::async_write(
            self().stream(), *out,
            [s = self().shared_from_this(), out, req, res, keep, bodyBytes](beast::error_code ec,
                                                                            std::size_t) {
                double secs = std::chrono::duration<double>(Clock::now() - s->started_).count();
                if (s->server_.hooks.done) {
                    res->body.clear();
                    if (ec && res->status < 400)
                        res->status = 499; // written in part: the client went away
                    s->server_.hooks.done(*req, *res, s->bytesIn_, ec ? 0 : bodyBytes, secs);
                }
                ++s->served_;
                if (!ec && s->linger_)
                    return s->self().linger();
                if (ec || !keep)
                    return s->close();
                s->awaitRequest();
            });
    }

    void close() { self().shutdown(); }

    /// After refusing a request whose body is still coming: stop sending, read and drop what
    /// arrives for a short while, then close. Closing at once would make the kernel reset the
    /// connection, and a reset can destroy the refusal before the client reads it.
    void drain() {
        auto& lowest = beast::get_lowest_layer(self().stream());
        if (drained_ == 0) {
            beast::error_code ignored;
            lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
            lowest.expires_after(std::chrono::seconds(2));
        }
        if (drained_ > (4u << 20))
            return lowest.close();
        buffer_.consume(buffer_.size());
        lowest.async_read_some(
            buffer_.prepare(64 * 1024),
            [s = self().shared_from_this()](beast::error_code ec, std::size_t n) {
                auto& low = beast::get_lowest_layer(s->stream());
                if (ec)
                    return low.close();
                s->drained_ += n + 1;
                s->buffer_.commit(n);
                s->drain();
            });
    }

    Listener::Impl& server_;
    std::string peer_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::shared_ptr<BufferCharge> charge_; ///< the body being read, on the shared budget
    std::string caller_; ///< who admission found the request to be from (its budget share)
    Limits limits_;
    Clock::time_point started_ = Clock::now();
    std::size_t bytesIn_ = 0;
    std::size_t served_ = 0;
    bool keepAlive_ = false;
    bool linger_ = false;
    std::size_t drained_ = 0;
    unsigned version_ = 11;
};

class PlainSession : public Session<PlainSession> {
public:
    static constexpr bool kSecure = false;
    PlainSession(Listener::Impl& server, tcp::socket&& socket, std::string peer)
        : Session(server, std::move(peer))
        , stream_(std::move(socket)) {}
    void run() {
        net::dispatch(stream_.get_executor(), [s = shared_from_this()] { s->awaitRequest(); });
    }
    beast::tcp_stream& stream() { return stream_; }
    void linger() { drain(); }
    void shutdown() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.close();
    }

private:
    beast::tcp_stream stream_;
};

class TlsSession : public Session<TlsSession> {
public:
    static constexpr bool kSecure = true;
    TlsSession(Listener::Impl& server, tcp::socket&& socket, ssl::context& ctx, std::string peer)
        : Session(server, std::move(peer))
        , stream_(std::move(socket), ctx) {}
    void run() {
        net::dispatch(stream_.get_executor(), [s = shared_from_this()] {
            beast::get_lowest_layer(s->stream_).expires_after(s->server_.options.handshakeTimeout);
            s->stream_.async_handshake(ssl::stream_base::server, [s](beast::error_code ec) {
                if (ec)
                    return beast::get_lowest_layer(s->stream_).close();
                s->awaitRequest();
            });
        });
    }
    beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
    void linger() { shutdown(); }
    void shutdown() {
        if (shutDown_)
            return;
        shutDown_ = true;
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
        stream_.async_shutdown([s = shared_from_this()](beast::error_code) {
            beast::get_lowest_layer(s->stream_).close();
        });
    }

private:
    beast::ssl_stream<beast::tcp_stream> stream_;
    bool shutDown_ = false;
};

} // namespace

void Listener::Impl::accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (stopping || !acceptor.is_open())
            return;
        if (!ec) {
            beast::error_code ignored;
            auto endpoint = socket.remote_endpoint(ignored);
            if (connections >= options.maxConnections) {
                socket.close(ignored); // over the cap: refuse rather than run out of descriptors
            } else {
                socket.set_option(tcp::no_delay(true), ignored);
                auto peer = endpoint.address().to_string();
                if (tls)
                    std::make_shared<TlsSession>(*this, std::move(socket), *tls, peer)->run();
                else
                    std::make_shared<PlainSession>(*this, std::move(socket), peer)->run();
            }
        }
        accept();
    });
}

Listener::Listener(ListenerOptions options, ListenerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(hooks))) {
    auto& o = impl_->options;
    if (!o.certFile.empty() || !o.keyFile.empty()) {
        try {
            impl_->tls.emplace(ssl::context::tls_server);
            impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                                    ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
            impl_->tls->use_certificate_chain_file(o.certFile);
            impl_->tls->use_private_key_file(o.keyFile, ssl::context::pem);
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot use certificate " + o.certFile + " and key " +
                                     o.keyFile + ": " + e.what());
        }
    }
}

Listener::~Listener() {
    stop();
}

int Listener::start() {
    auto& d = *impl_;
    beast::error_code ec;
    auto address = net::ip::make_address(d.options.host, ec);
    if (ec) {
        tcp::resolver resolver(d.ioc);
        auto found = resolver.resolve(d.options.host, "", ec);
        if (ec || found.empty())
            throw std::runtime_error("cannot resolve " + d.options.host);
        address = found.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, static_cast<unsigned short>(d.options.port));
    d.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        d.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec)
        d.acceptor.bind(endpoint, ec);
    if (!ec)
        d.acceptor.listen(d.options.backlog, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + d.options.host + ":" +
                                 std::to_string(d.options.port) + ": " + ec.message());
    int port = d.acceptor.local_endpoint().port();
    d.accept();
    for (int i = 0; i < std::max(1, d.options.ioThreads); ++i)
        d.threads.emplace_back([&d] { d.ioc.run(); });
    return port;
}

void Listener::stop() {
    auto& d = *impl_;
    if (d.stopping.exchange(true))
        return;
    net::post(d.ioc, [&d] {
        beast::error_code ec;
        d.acceptor.close(ec);
    });
    d.pool.stop(); // handlers in progress finish; their answers are dropped with the loop
    d.ioc.stop();
    for (auto& t : d.threads)
        if (t.joinable())
            t.join();
}

std::size_t Listener::openConnections() const {
    return impl_->connections;
}

std::size_t Listener::queuedRequests() const {
    return impl_->pool.queued();
}

std::size_t Listener::busyWorkers() const {
    return impl_->pool.busy();
}

std::size_t Listener::bufferedBytes() const {
    return impl_->buffered;
}

} // namespace rekap::central::http
