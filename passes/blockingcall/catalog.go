package blockingcall

// entry is what the catalog knows about one blocking function.
type entry struct {
	Tier   int    // 1: always blocks the calling thread; 2: may block (reported in Poll and at -level=strict)
	Family string // what kind of blocking, for the docs and for grouping
	Hint   string // what to use instead, ending the message
}

// family is one group of the catalog: functions that block for the same
// reason and share a remedy.
type family struct {
	name  string
	tier  int
	hint  string
	funcs []string // as types.Func.FullName prints them (generic origins)
}

// catalog is the one table of blocking functions. The standard library is
// never analyzed: these entries are how its behaviour is known. Interface
// methods are listed under the interface ("(net.Conn).Read") and match when
// the receiver's static type is that interface; concrete methods match a
// static call or an interface call whose dynamic type is known.
var catalog = []family{
	{"time", 1, "use runtime.Sleep", []string{
		"time.Sleep",
	}},
	{"sync", 1, "use runtime.WaitGroup", []string{
		"(*sync.WaitGroup).Wait",
	}},
	{"sync", 1, "use runtime.Notify", []string{
		"(*sync.Cond).Wait",
	}},
	{"x/sync", 1, "use runtime.JoinAll", []string{
		"(*golang.org/x/sync/errgroup.Group).Wait",
	}},
	{"x/sync", 1, "use runtime.Semaphore", []string{
		"(*golang.org/x/sync/semaphore.Weighted).Acquire",
	}},
	{"net", 1, "use runtime.SpawnBlocking", []string{
		"net.Dial", "net.DialTimeout", "net.DialTCP", "net.DialUDP", "net.DialIP", "net.DialUnix",
		"(*net.Dialer).Dial", "(*net.Dialer).DialContext",
		"(*net.TCPListener).Accept", "(*net.TCPListener).AcceptTCP",
		"(*net.UnixListener).Accept", "(*net.UnixListener).AcceptUnix",
		"(net.Listener).Accept",
		// Concrete connections: TCPConn, UDPConn, UnixConn and IPConn get
		// Read and Write from the embedded net.conn.
		"(*net.conn).Read", "(*net.conn).Write",
		"(*net.TCPConn).ReadFrom", "(*net.TCPConn).WriteTo",
		"(*net.UDPConn).ReadFrom", "(*net.UDPConn).ReadFromUDP", "(*net.UDPConn).ReadMsgUDP",
		"(*net.UDPConn).WriteTo", "(*net.UDPConn).WriteToUDP", "(*net.UDPConn).WriteMsgUDP",
		"(*net.UnixConn).ReadFromUnix", "(*net.UnixConn).WriteToUnix",
		"(net.Conn).Read", "(net.Conn).Write",
		"(net.PacketConn).ReadFrom", "(net.PacketConn).WriteTo",
	}},
	{"dns", 1, "use runtime.SpawnBlocking", []string{
		"net.LookupHost", "net.LookupIP", "net.LookupAddr", "net.LookupCNAME", "net.LookupMX",
		"net.LookupNS", "net.LookupTXT", "net.LookupSRV", "net.LookupPort",
		"net.ResolveTCPAddr", "net.ResolveUDPAddr", "net.ResolveIPAddr",
		"(*net.Resolver).LookupHost", "(*net.Resolver).LookupIP", "(*net.Resolver).LookupIPAddr",
		"(*net.Resolver).LookupNetIP", "(*net.Resolver).LookupAddr", "(*net.Resolver).LookupCNAME",
		"(*net.Resolver).LookupMX", "(*net.Resolver).LookupNS", "(*net.Resolver).LookupTXT",
		"(*net.Resolver).LookupSRV", "(*net.Resolver).LookupPort",
	}},
	{"tls", 1, "use runtime.SpawnBlocking", []string{
		"crypto/tls.Dial", "crypto/tls.DialWithDialer",
		"(*crypto/tls.Dialer).Dial", "(*crypto/tls.Dialer).DialContext",
		"(*crypto/tls.Conn).Handshake", "(*crypto/tls.Conn).HandshakeContext",
		"(*crypto/tls.Conn).Read", "(*crypto/tls.Conn).Write",
	}},
	{"smtp", 1, "use runtime.SpawnBlocking", []string{
		"net/smtp.SendMail", "net/smtp.Dial",
		"(*net/smtp.Client).Hello", "(*net/smtp.Client).StartTLS", "(*net/smtp.Client).Auth",
		"(*net/smtp.Client).Mail", "(*net/smtp.Client).Rcpt", "(*net/smtp.Client).Data",
		"(*net/smtp.Client).Quit", "(*net/smtp.Client).Verify",
	}},
	{"http", 1, "use runtime.SpawnBlocking", []string{
		"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm",
		"(*net/http.Client).Do", "(*net/http.Client).Get", "(*net/http.Client).Post",
		"(*net/http.Client).Head", "(*net/http.Client).PostForm",
		"net/http.ListenAndServe", "net/http.ListenAndServeTLS", "net/http.Serve", "net/http.ServeTLS",
		"(*net/http.Server).ListenAndServe", "(*net/http.Server).ListenAndServeTLS",
		"(*net/http.Server).Serve", "(*net/http.Server).ServeTLS", "(*net/http.Server).Shutdown",
	}},
	{"exec", 1, "use runtime.SpawnBlocking", []string{
		"(*os/exec.Cmd).Run", "(*os/exec.Cmd).Output", "(*os/exec.Cmd).CombinedOutput", "(*os/exec.Cmd).Wait",
		"(*os.Process).Wait",
	}},
	{"files", 1, "use runtime.SpawnBlocking", []string{
		"os.ReadFile", "os.WriteFile", "os.ReadDir", "os.RemoveAll", "os.CopyFS",
		"io/ioutil.ReadFile", "io/ioutil.WriteFile", "io/ioutil.ReadDir",
		"(*os.File).Read", "(*os.File).ReadAt", "(*os.File).ReadFrom", "(*os.File).ReadDir",
		"(*os.File).Readdir", "(*os.File).Readdirnames",
		"(*os.File).Write", "(*os.File).WriteAt", "(*os.File).WriteString", "(*os.File).WriteTo",
		"(*os.File).Sync",
		"path/filepath.Walk", "path/filepath.WalkDir", "io/fs.WalkDir",
	}},
	{"stdin", 1, "read stdin on the blocking pool with runtime.SpawnBlocking", []string{
		"fmt.Scan", "fmt.Scanln", "fmt.Scanf",
	}},
	{"database", 1, "use runtime.SpawnBlocking", []string{
		"(*database/sql.DB).Query", "(*database/sql.DB).QueryContext",
		"(*database/sql.DB).QueryRow", "(*database/sql.DB).QueryRowContext",
		"(*database/sql.DB).Exec", "(*database/sql.DB).ExecContext",
		"(*database/sql.DB).Begin", "(*database/sql.DB).BeginTx",
		"(*database/sql.DB).Ping", "(*database/sql.DB).PingContext",
		"(*database/sql.DB).Prepare", "(*database/sql.DB).PrepareContext",
		"(*database/sql.DB).Conn",
		"(*database/sql.Tx).Query", "(*database/sql.Tx).QueryContext",
		"(*database/sql.Tx).QueryRow", "(*database/sql.Tx).QueryRowContext",
		"(*database/sql.Tx).Exec", "(*database/sql.Tx).ExecContext",
		"(*database/sql.Tx).Commit", "(*database/sql.Tx).Rollback",
		"(*database/sql.Stmt).Query", "(*database/sql.Stmt).QueryContext",
		"(*database/sql.Stmt).QueryRow", "(*database/sql.Stmt).QueryRowContext",
		"(*database/sql.Stmt).Exec", "(*database/sql.Stmt).ExecContext",
		"(*database/sql.Conn).QueryContext", "(*database/sql.Conn).QueryRowContext",
		"(*database/sql.Conn).ExecContext", "(*database/sql.Conn).BeginTx", "(*database/sql.Conn).PingContext",
		"(*database/sql.Rows).Next",
	}},
	{"locks", 2, "use runtime.Mutex", []string{
		"(*sync.Mutex).Lock",
	}},
	{"locks", 2, "use runtime.RWMutex", []string{
		"(*sync.RWMutex).Lock", "(*sync.RWMutex).RLock",
	}},
	{"once", 2, "run the initialization before the runtime starts or with runtime.SpawnBlocking", []string{
		"(*sync.Once).Do",
	}},
	{"file metadata", 2, "use runtime.SpawnBlocking", []string{
		"os.Open", "os.OpenFile", "os.Create", "os.CreateTemp", "os.MkdirTemp",
		"os.Stat", "os.Lstat", "os.Mkdir", "os.MkdirAll", "os.Remove", "os.Rename",
		"os.Chmod", "os.Chown", "os.Chtimes", "os.Truncate", "os.Symlink", "os.Link", "os.Readlink",
		"(*os.File).Stat",
	}},
	{"users", 2, "use runtime.SpawnBlocking", []string{
		"os/user.Current", "os/user.Lookup", "os/user.LookupId", "os/user.LookupGroup", "os/user.LookupGroupId",
		"(*os/user.User).GroupIds",
	}},
}

// catalogIndex maps each function of the catalog to its entry.
func catalogIndex() map[string]*entry {
	m := make(map[string]*entry)
	for _, fam := range catalog {
		for _, fn := range fam.funcs {
			m[fn] = &entry{Tier: fam.tier, Family: fam.name, Hint: fam.hint}
		}
	}
	return m
}
