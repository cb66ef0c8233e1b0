"""One GET with requests-gssapi, mutual authentication REQUIRED: prints the status and body.

usage: requests_client.py URL delegate|no-delegate
Exits non-zero (with requests-gssapi's exception on stderr) when the exchange fails, e.g.
MutualAuthenticationError for a response the server's token does not authenticate.
"""

import sys

import requests
from requests_gssapi import REQUIRED, HTTPSPNEGOAuth

url, delegate = sys.argv[1], sys.argv[2] == "delegate"
auth = HTTPSPNEGOAuth(mutual_authentication=REQUIRED, delegate=delegate)
response = requests.get(url, auth=auth, timeout=30)
print(response.status_code)
print(response.text)
