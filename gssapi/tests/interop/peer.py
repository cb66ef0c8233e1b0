"""A python-gssapi peer for gssapi's interop test.

Speaks framed messages on stdin/stdout: each frame is a 4-byte big-endian length and a payload
`VERB SP DATA`. Requests and answers:

  INIT krb5|spnego    start an initiator to host@localhost      -> TOKEN <first token>
  ACCEPT              start an acceptor (default keytab)        -> OK
  STEP <token>        one establishment step                    -> TOKEN <token> | DONE <token>
  WRAP <msg>          wrap with encryption                      -> WRAPPED <conf><token>
  UNWRAP <token>      unwrap                                    -> UNWRAPPED <conf><msg>
  MIC <msg>           get_signature                             -> MIC <token>
  VERIFY <len4><msg><mic>  verify_signature                     -> OK
  NAME                the initiator's name, canonical and exported -> NAME <bytes>
  QUIT

Any exception answers `ERR <ClassName> <text>`. Diagnostics go to stderr.
"""

import struct
import sys

import gssapi
import gssapi.raw.exceptions

MECHS = {
    b"krb5": gssapi.MechType.kerberos,
    b"spnego": gssapi.OID.from_int_seq("1.3.6.1.5.5.2"),
}
FLAGS = [
    gssapi.RequirementFlag.mutual_authentication,
    gssapi.RequirementFlag.out_of_sequence_detection,
    gssapi.RequirementFlag.replay_detection,
    gssapi.RequirementFlag.confidentiality,
    gssapi.RequirementFlag.integrity,
]


def read_frame():
    head = sys.stdin.buffer.read(4)
    if len(head) < 4:
        return None
    (length,) = struct.unpack(">I", head)
    return sys.stdin.buffer.read(length)


def send(verb, data=b""):
    payload = verb + b" " + data
    sys.stdout.buffer.write(struct.pack(">I", len(payload)) + payload)
    sys.stdout.buffer.flush()


def main():
    ctx = None
    while True:
        frame = read_frame()
        if frame is None:
            return
        verb, _, data = frame.partition(b" ")
        try:
            if verb == b"QUIT":
                return
            if verb == b"INIT":
                target = gssapi.Name("host@localhost", gssapi.NameType.hostbased_service)
                ctx = gssapi.SecurityContext(
                    name=target, mech=MECHS[data], flags=FLAGS, usage="initiate"
                )
                send(b"TOKEN", ctx.step())
            elif verb == b"ACCEPT":
                ctx = gssapi.SecurityContext(usage="accept")
                send(b"OK")
            elif verb == b"STEP":
                out = ctx.step(data) or b""
                send(b"DONE" if ctx.complete else b"TOKEN", out)
            elif verb == b"WRAP":
                res = ctx.wrap(data, True)
                send(b"WRAPPED", bytes([1 if res.encrypted else 0]) + res.message)
            elif verb == b"UNWRAP":
                res = ctx.unwrap(data)
                send(b"UNWRAPPED", bytes([1 if res.encrypted else 0]) + res.message)
            elif verb == b"MIC":
                send(b"MIC", ctx.get_signature(data))
            elif verb == b"VERIFY":
                (n,) = struct.unpack(">I", data[:4])
                ctx.verify_signature(data[4 : 4 + n], data[4 + n :])
                send(b"OK")
            elif verb == b"NAME":
                name = ctx.initiator_name.canonicalize(gssapi.MechType.kerberos)
                send(b"NAME", name.export())
            else:
                send(b"ERR", b"ProtocolError unknown verb " + verb)
        except gssapi.raw.exceptions.GSSError as e:
            send(b"ERR", type(e).__name__.encode() + b" " + str(e).encode(errors="replace"))
        except Exception as e:  # a bug in this peer: report it, keep serving
            print("peer error:", repr(e), file=sys.stderr)
            send(b"ERR", b"PeerError " + repr(e).encode())


if __name__ == "__main__":
    main()
