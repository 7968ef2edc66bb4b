"""The webhook destination policy (pure module): which addresses a webhook may reach."""

import ipaddress

import pytest

from shuzheng.notifications.destinations import (
    AllowList,
    DestinationRefused,
    Unresolvable,
    check_url,
    embedded_ipv4,
    forbidden_reason,
    literal_address,
)

PUBLIC = "93.184.215.14"


def resolver(*addresses):
    """A stand-in for DNS: every name resolves to ``addresses``."""
    return lambda host, port: list(addresses)


def no_dns(host, port):
    raise AssertionError(f"{host} must not be looked up")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.1:8000/hook",
        "http://127.255.255.254/",
        "http://0x7f.1/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://017700000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::127.0.0.1]/",
        "http://[2002:7f00:1::]/",
        "http://[2002:a00:1::]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://100.127.255.254/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://224.0.0.1/",
        "http://239.255.255.250/",
        "http://[ff02::1]/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://192.0.2.1/",
        "http://198.18.0.1/",
    ],
)
def test_forbidden_addresses_in_every_notation_are_refused(url):
    with pytest.raises(DestinationRefused):
        check_url(url, resolve=no_dns)


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "api.localhost", "db.localdomain"])
def test_names_of_this_machine_are_refused_whatever_dns_says(host):
    with pytest.raises(DestinationRefused, match="names this machine"):
        check_url(f"http://{host}/", resolve=resolver(PUBLIC))


@pytest.mark.parametrize(
    "answer", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:192.168.0.1"]
)
def test_a_name_resolving_to_a_forbidden_address_is_refused(answer):
    with pytest.raises(DestinationRefused, match="resolves to"):
        check_url("https://hooks.example.org/x", resolve=resolver(answer))


def test_every_resolved_address_is_checked_not_only_the_first():
    with pytest.raises(DestinationRefused, match="10.0.0.7"):
        check_url("https://hooks.example.org/", resolve=resolver(PUBLIC, "10.0.0.7"))


def test_a_public_destination_carries_the_checked_address_to_connect_to():
    destination = check_url(
        "https://Hooks.Example.org:8443/in/box?x=1", resolve=resolver(PUBLIC, "2606:2800::1")
    )
    assert destination.scheme == "https"
    assert destination.host == "hooks.example.org"
    assert destination.port == 8443
    assert destination.target == "/in/box?x=1"
    assert destination.address == PUBLIC


def test_default_ports_and_paths():
    assert check_url("http://hooks.example.org", resolve=resolver(PUBLIC)).port == 80
    assert check_url("https://hooks.example.org", resolve=resolver(PUBLIC)).target == "/"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.org/", "not http or https"),
        ("file:///etc/passwd", "not http or https"),
        ("gopher://127.0.0.1:25/", "not http or https"),
        ("hooks.example.org/x", "not http or https"),
        ("http:///nohost", "no host"),
        ("http://user:pw@hooks.example.org/", "credentials"),
        ("http://hooks.example.org:99999/", "port"),
    ],
)
def test_malformed_or_other_scheme_urls_are_refused(url, message):
    with pytest.raises(DestinationRefused, match=message):
        check_url(url, resolve=resolver(PUBLIC))


def test_a_name_that_does_not_resolve_is_unresolvable():
    with pytest.raises(Unresolvable):
        check_url("https://hooks.example.org/", resolve=resolver())


def test_the_allow_list_admits_networks_and_exact_host_names():
    allow = AllowList.parse(["10.20.0.0/16", " 127.0.0.1 ", "OA.Unit.Example", ""])
    assert check_url("http://10.20.3.4/", allow=allow, resolve=no_dns).address == "10.20.3.4"
    assert check_url("http://127.0.0.1:9/", allow=allow, resolve=no_dns).port == 9
    internal = check_url("http://oa.unit.example/", allow=allow, resolve=resolver("10.9.9.9"))
    assert internal.address == "10.9.9.9"
    with pytest.raises(DestinationRefused):
        check_url("http://10.21.0.1/", allow=allow, resolve=no_dns)
    with pytest.raises(DestinationRefused):
        check_url("http://other.unit.example/", allow=allow, resolve=resolver("10.9.9.9"))


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "300.1.2.3", "fe80::zz", "10.0.0.0/8/8"])
def test_a_malformed_address_in_the_allow_list_is_an_error(entry):
    with pytest.raises(ValueError, match="neither a host name"):
        AllowList.parse([entry])


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("0x7f.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("hooks.example.org", None),
        ("1password.example", None),
    ],
)
def test_literal_addresses_in_c_library_notations(host, address):
    found = literal_address(host)
    assert (str(found) if found else None) == address


def test_public_addresses_pass_and_ipv6_wrappers_are_judged_by_their_ipv4():
    assert forbidden_reason(ipaddress.ip_address(PUBLIC)) is None
    assert forbidden_reason(ipaddress.ip_address("2606:2800:220:1::1")) is None
    assert embedded_ipv4(ipaddress.ip_address("::ffff:10.1.2.3")) == ipaddress.ip_address(
        "10.1.2.3"
    )
    assert "loopback" in forbidden_reason(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert "CGNAT" in forbidden_reason(ipaddress.ip_address("100.64.1.1"))
