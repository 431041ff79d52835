package web

import "net/url"

// Export is the address of an export of this list (path, an .xlsx): the
// page's filters as they are, without the page, its size or its order,
// so that the file holds everything the filters find.
func (l *listing) Export(path string) string {
	q := url.Values{}
	for k, v := range l.query {
		switch k {
		case l.own("page"), l.own("size"), l.own("sort"), l.own("order"):
		default:
			q[k] = v
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
