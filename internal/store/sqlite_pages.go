package store

import (
	"fmt"
	"sync"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// slabPages is how many database pages all the process's SQLite
// connections keep cached together (issue 19: RSS ≤ 200 MB serving the
// province). SQLite is given one block of memory for them, 8,192 slots
// of a page and its header (4,368 bytes each, 36 MB), before its first
// connection opens. Two things follow:
//   - The whole process's page caches are held to it. When fewer than ten
//     slots are free, a connection recycles its own oldest pages instead of
//     taking more; it takes memory of the heap only for pages in use at
//     that moment. Each connection's cache_size still caps its own share.
//     A soft heap limit cannot do this here: modernc's SQLite is built
//     without memory statistics (SQLITE_DEFAULT_MEMSTATUS=0), and without
//     them PRAGMA soft_heap_limit is accepted and does nothing.
//   - A cached page costs its 4,368 bytes. Allocated one by one, a page and
//     its header (4,368 bytes) took an 8 KiB block of modernc's allocator.
//
// Measured on the million-case SQLite province, a server started on it
// with its first day's jobs running and pages loaded at once (peak RSS,
// load 7–9): 167 and 181 MB, against 182–250 MB without the slab (five
// runs), when SQLite's allocator had mapped 138–168 MB. The block is
// resident from the start (SQLite threads its free list through every
// slot), so a server at rest holds it whole.
const slabPages = 8192

var (
	// slabErr is why the slab could not be given, if it was not.
	slabErr    error
	slabHeader int32

	// statusMu guards the counters sqlite3_status64 writes into.
	statusMu            sync.Mutex
	statusCur, statusHi int64
)

// SQLite takes the slab only before its first connection, so it is given
// when the program starts. It is address space until then: SQLite writes
// into it (and so makes it resident) when it initialises, at the first
// SQLite connection, and never in a process that uses PostgreSQL alone.
func init() { slabErr = usePageSlab() }

// usePageSlab gives SQLite its page slab. Failing leaves each connection
// its own cache, as SQLite's default, which Open logs.
func usePageSlab() error {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, 32)
	if va == 0 {
		return fmt.Errorf("sqlite page slab: out of memory")
	}
	defer libc.Xfree(tls, va)
	// SQLite writes the header's size into a package variable: one a
	// growing stack cannot move.
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, libc.VaList(va, uintptr(unsafe.Pointer(&slabHeader)))); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("sqlite page slab: header size: code %d", rc)
	}
	size := (4096 + slabHeader + 7) &^ 7
	buf := libc.Xmalloc(tls, types.Size_t(int(size)*slabPages))
	if buf == 0 {
		return fmt.Errorf("sqlite page slab: out of memory")
	}
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(va, buf, size, int32(slabPages))); rc != sqlite3.SQLITE_OK {
		libc.Xfree(tls, buf)
		return fmt.Errorf("sqlite page slab: code %d", rc)
	}
	return nil
}

// PageSlab reports the page slab's use since the process began: slots in
// use now, the most ever in use, and the bytes of pages that did not fit
// (taken from the heap instead) now and at most.
func PageSlab() (used, maxUsed, overflow, maxOverflow int64) {
	tls := libc.NewTLS()
	defer tls.Close()
	statusMu.Lock()
	defer statusMu.Unlock()
	cur, hi := uintptr(unsafe.Pointer(&statusCur)), uintptr(unsafe.Pointer(&statusHi))
	sqlite3.Xsqlite3_status64(tls, sqlite3.SQLITE_STATUS_PAGECACHE_USED, cur, hi, 0)
	used, maxUsed = statusCur, statusHi
	sqlite3.Xsqlite3_status64(tls, sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW, cur, hi, 0)
	overflow, maxOverflow = statusCur, statusHi
	return
}
