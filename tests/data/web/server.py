#!/usr/bin/env python3
"""server.py - the local web server of tests/integration/test_web.sh (nothing leaves the machine).

Serves DOCROOT/<name>.html for /<name> (read on every request, so a test can change a page
between `web baseline` and `web check`), and a few special paths:
  /cloak      the school page to browsers; Googlebot (or a google.com referer) also gets a
              block of gambling links, as injected sites do
  /botredir   browsers get the page, Googlebot is redirected to another host (cloaking)
  /redirect   302 to /school;  /loop: redirects to itself forever
  /slow       waits 5 s before answering (the timeout)
  /huge       a 20 MiB page (the size cap)
  /gzip       the page DOCROOT/gzip.html sent gzip-compressed
  /missing    404
A request in absolute form (the server used as a proxy) is appended to DOCROOT/../proxy.log.
Usage: server.py --port-file FILE --docroot DIR [--cert CERT --key KEY] (HTTPS when given).
It listens on 127.0.0.1 on a free port and writes the port to FILE."""
import argparse, gzip, http.server, os, ssl, sys, time

CLOAK = ('<div style="position:absolute;left:-9999px"><a href="https://nohu-vip.example/">'
         'Nổ hũ đổi thưởng</a> <a href="https://kubet.example/">nhà cái uy tín</a></div>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype='text/html; charset=utf-8', headers=()):
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def page(self, name):
        p = os.path.join(self.server.docroot, name + '.html')
        with open(p, 'rb') as f:
            return f.read()

    def crawler(self):
        return ('Googlebot' in self.headers.get('User-Agent', '') or
                'google.com' in self.headers.get('Referer', ''))

    def do_GET(self):
        if self.path.startswith('http://'):
            # asked as a proxy (absolute form): note it, then serve the path
            with open(os.path.join(self.server.docroot, '..', 'proxy.log'), 'a') as f:
                f.write(self.path + '\n')
            self.path = '/' + self.path.split('/', 3)[3] if self.path.count('/') >= 3 else '/'
        path = self.path.split('?')[0].strip('/')
        if path == 'cloak':
            body = self.page('school')
            if self.crawler():
                body = body.replace(b'</body>', CLOAK.encode() + b'</body>')
            return self.send(200, body)
        if path == 'botredir':
            if self.crawler():
                return self.send(302, b'', headers=[('Location', 'http://127.0.0.2:1/spam')])
            return self.send(200, self.page('school'))
        if path == 'redirect':
            return self.send(302, b'', headers=[('Location', '/school')])
        if path == 'loop':
            return self.send(302, b'', headers=[('Location', '/loop')])
        if path == 'slow':
            time.sleep(5)
            return self.send(200, self.page('school'))
        if path == 'huge':
            chunk = b'<p>' + b'x' * 1020 + b'</p>'
            n = 20 * 1024
            self.send_response(200)
            self.send_header('Content-Type', 'text/html')
            self.send_header('Content-Length', str(len(chunk) * n))
            self.end_headers()
            try:
                for _ in range(n):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if path == 'gzip':
            if 'gzip' not in self.headers.get('Accept-Encoding', ''):
                return self.send(406, b'gzip only')
            return self.send(200, gzip.compress(self.page('gzip')), headers=[('Content-Encoding', 'gzip')])
        name = os.path.basename(path) or 'school'
        try:
            return self.send(200, self.page(name))
        except OSError:
            return self.send(404, b'<h1>not found</h1>')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port-file', required=True)
    ap.add_argument('--docroot', required=True)
    ap.add_argument('--cert')
    ap.add_argument('--key')
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    srv.docroot = a.docroot
    srv.daemon_threads = True
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = a.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    sys.stdout.flush()
    srv.serve_forever()


if __name__ == '__main__':
    main()
