package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// demoAddress settles where the demo listens and the public address its
// visit SMS links point to, so that the party's one-time link opens from
// the demo's own printed address. A port of 0 is chosen now (the link is
// written into texts before the server listens); a wildcard host is
// reached as 127.0.0.1. An explicit public URL wins.
func demoAddress(addr, public string) (listen, publicURL string, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", "", fmt.Errorf("--addr %q: %w", addr, err)
	}
	if port == "0" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return "", "", fmt.Errorf("listening on %s: %w", addr, err)
		}
		_, port, _ = net.SplitHostPort(ln.Addr().String())
		ln.Close()
	}
	listen = net.JoinHostPort(host, port)
	if public != "" {
		u, err := url.Parse(public)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", "", fmt.Errorf("--public-url %q: give an address such as http://192.168.1.5:8080", public)
		}
		return listen, strings.TrimRight(public, "/"), nil
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return listen, "http://" + net.JoinHostPort(host, port), nil
}
