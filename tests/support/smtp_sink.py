#!/usr/bin/python3
"""A real SMTP server for tests (Debian python3-aiosmtpd), run as the other
test servers are:

    smtp_sink.py serve --dir DIR --listen 127.0.0.1:PORT   (PORT 0: any free one)

It logs "event=listening address=127.0.0.1:PORT" on standard error once it
listens. Every message it accepts is written whole to DIR/mail-<nanoseconds>.eml (in order by name),
after an X-Envelope-To line per recipient. While DIR/refuse exists it answers
every recipient with 550, as a mail server that will not take the message.
"""
import argparse
import asyncio
import os
import sys
import time

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.folder, 'refuse')):
            return '550 5.7.1 Refused by the test'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(self.folder, f'mail-{time.time_ns():020d}.eml')
        head = b''.join(b'X-Envelope-To: ' + to.encode() + b'\r\n' for to in envelope.rcpt_tos)
        with open(path + '.tmp', 'wb') as f:
            f.write(head + envelope.original_content)
        os.rename(path + '.tmp', path)  # a reader never sees half a message
        return '250 Message accepted'


async def serve(folder, host, port):
    loop = asyncio.get_running_loop()
    handler = Sink(folder)
    server = await loop.create_server(lambda: SMTP(handler, hostname='sink.test'), host, port)
    bound = server.sockets[0].getsockname()[1]
    print(f'event=listening address={host}:{bound}', file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('command', choices=['serve'])
    parser.add_argument('--dir', required=True)
    parser.add_argument('--listen', required=True)
    args = parser.parse_args()
    host, port = args.listen.rsplit(':', 1)
    asyncio.run(serve(args.dir, host, int(port)))


if __name__ == '__main__':
    main()
