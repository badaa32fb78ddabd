package blockingcall

// entry is what the catalog knows about one blocking function.
type entry struct {
	Tier   int    // 1: always blocks the calling thread; 2: may block (reported in Poll and at -level=strict)
	Family string // what kind of blocking, for the docs and for grouping
	Hint   string // what to use instead, ending the message

	// OnStdin reports that the function blocks only when its first argument
	// (the receiver, for a method) reads os.Stdin, directly or through
	// bufio.NewReader or bufio.NewScanner.
	OnStdin bool
	// NotOnStdout reports that the function does not count as blocking when
	// its receiver is os.Stdout or os.Stderr: output to the terminal is
	// treated like fmt.Println and the log package, which are not reported.
	NotOnStdout bool
}

// family is one group of the catalog: functions that block for the same
// reason and share a remedy.
type family struct {
	name        string
	tier        int
	hint        string
	funcs       []string // as types.Func.FullName prints them (generic origins)
	onStdin     bool     // see entry.OnStdin
	notOnStdout bool     // see entry.NotOnStdout
}

// catalog is the one table of blocking functions. The standard library is
// never analyzed: these entries are how its behaviour is known. Interface
// methods are listed under the interface ("(net.Conn).Read") and match when
// the receiver's static type is that interface; concrete methods match a
// static call or an interface call whose dynamic type is known.
var catalog = []family{
	{name: "time", tier: 1, hint: "use runtime.Sleep", funcs: []string{
		"time.Sleep",
	}},
	{name: "sync", tier: 1, hint: "use runtime.WaitGroup", funcs: []string{
		"(*sync.WaitGroup).Wait",
	}},
	{name: "sync", tier: 1, hint: "use runtime.Notify", funcs: []string{
		"(*sync.Cond).Wait",
	}},
	{name: "x/sync", tier: 1, hint: "use runtime.JoinAll", funcs: []string{
		"(*golang.org/x/sync/errgroup.Group).Wait",
	}},
	{name: "x/sync", tier: 1, hint: "use runtime.Semaphore", funcs: []string{
		"(*golang.org/x/sync/semaphore.Weighted).Acquire",
	}},
	{name: "net", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
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
	{name: "dns", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"net.LookupHost", "net.LookupIP", "net.LookupAddr", "net.LookupCNAME", "net.LookupMX",
		"net.LookupNS", "net.LookupTXT", "net.LookupSRV", "net.LookupPort",
		"net.ResolveTCPAddr", "net.ResolveUDPAddr", "net.ResolveIPAddr",
		"(*net.Resolver).LookupHost", "(*net.Resolver).LookupIP", "(*net.Resolver).LookupIPAddr",
		"(*net.Resolver).LookupNetIP", "(*net.Resolver).LookupAddr", "(*net.Resolver).LookupCNAME",
		"(*net.Resolver).LookupMX", "(*net.Resolver).LookupNS", "(*net.Resolver).LookupTXT",
		"(*net.Resolver).LookupSRV", "(*net.Resolver).LookupPort",
	}},
	{name: "tls", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"crypto/tls.Dial", "crypto/tls.DialWithDialer",
		"(*crypto/tls.Dialer).Dial", "(*crypto/tls.Dialer).DialContext",
		"(*crypto/tls.Conn).Handshake", "(*crypto/tls.Conn).HandshakeContext",
		"(*crypto/tls.Conn).Read", "(*crypto/tls.Conn).Write",
	}},
	{name: "smtp", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"net/smtp.SendMail", "net/smtp.Dial",
		"(*net/smtp.Client).Hello", "(*net/smtp.Client).StartTLS", "(*net/smtp.Client).Auth",
		"(*net/smtp.Client).Mail", "(*net/smtp.Client).Rcpt", "(*net/smtp.Client).Data",
		"(*net/smtp.Client).Quit", "(*net/smtp.Client).Verify",
	}},
	{name: "http", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm",
		"(*net/http.Client).Do", "(*net/http.Client).Get", "(*net/http.Client).Post",
		"(*net/http.Client).Head", "(*net/http.Client).PostForm",
		"net/http.ListenAndServe", "net/http.ListenAndServeTLS", "net/http.Serve", "net/http.ServeTLS",
		"(*net/http.Server).ListenAndServe", "(*net/http.Server).ListenAndServeTLS",
		"(*net/http.Server).Serve", "(*net/http.Server).ServeTLS", "(*net/http.Server).Shutdown",
	}},
	{name: "exec", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"(*os/exec.Cmd).Run", "(*os/exec.Cmd).Output", "(*os/exec.Cmd).CombinedOutput", "(*os/exec.Cmd).Wait",
		"(*os.Process).Wait",
	}},
	{name: "files", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"os.ReadFile", "os.WriteFile", "os.ReadDir", "os.RemoveAll", "os.CopyFS",
		"io/ioutil.ReadFile", "io/ioutil.WriteFile", "io/ioutil.ReadDir",
		"(*os.File).Read", "(*os.File).ReadAt", "(*os.File).ReadFrom", "(*os.File).ReadDir",
		"(*os.File).Readdir", "(*os.File).Readdirnames",
		"(*os.File).Sync",
		"path/filepath.Walk", "path/filepath.WalkDir", "io/fs.WalkDir",
	}},
	{name: "files", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
		"(*os.File).Write", "(*os.File).WriteAt", "(*os.File).WriteString", "(*os.File).WriteTo",
	}, notOnStdout: true},
	{name: "stdin", tier: 1, hint: "read stdin on the blocking pool with runtime.SpawnBlocking", funcs: []string{
		"fmt.Scan", "fmt.Scanln", "fmt.Scanf",
	}},
	{name: "stdin", tier: 1, hint: "read stdin on the blocking pool with runtime.SpawnBlocking", funcs: []string{
		"fmt.Fscan", "fmt.Fscanln", "fmt.Fscanf",
		"(*bufio.Reader).Read", "(*bufio.Reader).ReadByte", "(*bufio.Reader).ReadBytes",
		"(*bufio.Reader).ReadLine", "(*bufio.Reader).ReadRune", "(*bufio.Reader).ReadSlice",
		"(*bufio.Reader).ReadString", "(*bufio.Reader).WriteTo",
		"(*bufio.Scanner).Scan",
		"io.ReadAll", "io.ReadFull",
	}, onStdin: true},
	{name: "database", tier: 1, hint: "use runtime.SpawnBlocking", funcs: []string{
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
	{name: "locks", tier: 2, hint: "use runtime.Mutex", funcs: []string{
		"(*sync.Mutex).Lock",
	}},
	{name: "locks", tier: 2, hint: "use runtime.RWMutex", funcs: []string{
		"(*sync.RWMutex).Lock", "(*sync.RWMutex).RLock",
	}},
	{name: "once", tier: 2, hint: "run the initialization before the runtime starts or with runtime.SpawnBlocking", funcs: []string{
		"(*sync.Once).Do",
	}},
	{name: "file metadata", tier: 2, hint: "use runtime.SpawnBlocking", funcs: []string{
		"os.Open", "os.OpenFile", "os.Create", "os.CreateTemp", "os.MkdirTemp",
		"os.Stat", "os.Lstat", "os.Mkdir", "os.MkdirAll", "os.Remove", "os.Rename",
		"os.Chmod", "os.Chown", "os.Chtimes", "os.Truncate", "os.Symlink", "os.Link", "os.Readlink",
		"(*os.File).Stat",
	}},
	{name: "users", tier: 2, hint: "use runtime.SpawnBlocking", funcs: []string{
		"os/user.Current", "os/user.Lookup", "os/user.LookupId", "os/user.LookupGroup", "os/user.LookupGroupId",
		"(*os/user.User).GroupIds",
	}},
}

// catalogIndex maps each function of the catalog to its entry.
func catalogIndex() map[string]*entry {
	m := make(map[string]*entry)
	for _, fam := range catalog {
		for _, fn := range fam.funcs {
			m[fn] = &entry{Tier: fam.tier, Family: fam.name, Hint: fam.hint, OnStdin: fam.onStdin, NotOnStdout: fam.notOnStdout}
		}
	}
	return m
}
