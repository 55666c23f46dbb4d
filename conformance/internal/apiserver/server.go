// Package apiserver runs a real kube-apiserver (k8s.io/kubernetes v1.34.3, the test server the
// upstream integration tests use: cmd/kube-apiserver/app/testing StartTestServer) on an embedded
// etcd (go.etcd.io/etcd/server/v3 embed), applies the pinned CRDs, and judges objects with
// server-side apply in dry-run mode: decoding, defaulting, structural schema pruning and validation,
// CEL rules, built-in kinds' validation and the default admission chain, all upstream code.
package apiserver

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	kubeapiservertesting "k8s.io/kubernetes/cmd/kube-apiserver/app/testing"
	"k8s.io/kubernetes/test/utils/ktesting"
)

// Server is a running etcd + kube-apiserver pair on loopback.
type Server struct {
	Config *rest.Config
	tb     *harnessTB
	etcd   *embed.Etcd
	dir    string
}

// Start brings up etcd and the API server; logs go to log (io.Discard to drop them).
func Start(ctx context.Context, log io.Writer) (*Server, error) {
	dir, err := os.MkdirTemp("", "conformance-apiserver-")
	if err != nil {
		return nil, err
	}
	etcd, etcdURL, err := startEtcd(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start etcd: %w", err)
	}
	quietKlog(log)
	tb := &harnessTB{log: log, dir: dir}
	storage := storagebackend.NewDefaultConfig("/registry", nil)
	storage.Transport.ServerList = []string{etcdURL}
	// WithCancel: the test server stops when its context is cancelled (its TearDownFn calls Cancel).
	tctx := ktesting.WithCancel(ktesting.InitCtx(ctx, tb))
	result, err := kubeapiservertesting.StartTestServer(tctx, kubeapiservertesting.NewDefaultTestServerOptions(), []string{
		// Objects are judged by dry-run only; nothing schedules or serves them.
		"--disable-admission-plugins=ServiceAccount",
	}, storage)
	if err != nil {
		tb.runCleanups()
		etcd.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start kube-apiserver: %w", err)
	}
	tb.Cleanup(result.TearDownFn)
	cfg := rest.CopyConfig(result.ClientConfig)
	cfg.QPS, cfg.Burst = 500, 1000
	return &Server{Config: cfg, tb: tb, etcd: etcd, dir: dir}, nil
}

// quietKlog sends the API server's klog output to log: ktesting raises klog's verbosity to 5 in its
// init (test/utils/ktesting/ktesting.go), which is meant for go test's per-test buffers.
func quietKlog(log io.Writer) {
	ktesting.SetDefaultVerbosity(0)
	for name, value := range map[string]string{"logtostderr": "false", "alsologtostderr": "false", "stderrthreshold": "FATAL"} {
		if f := flag.CommandLine.Lookup(name); f != nil {
			_ = f.Value.Set(value)
		}
	}
	klog.LogToStderr(false)
	klog.SetOutput(log)
}

// Stop tears everything down and removes the data directory.
func (s *Server) Stop() {
	s.tb.runCleanups()
	s.etcd.Close()
	os.RemoveAll(s.dir)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startEtcd(dir string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	cfg := embed.NewConfig()
	cfg.Dir = filepath.Join(dir, "etcd")
	cfg.LogLevel = "error"
	// etcd logs its own shutdown as errors; keep them out of the harness's output.
	cfg.LogOutputs = []string{filepath.Join(dir, "etcd.log")}
	client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", clientPort)}
	peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", peerPort)}
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, client.String(), nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", fmt.Errorf("etcd not ready after 60s")
	}
}

// harnessTB is the ktesting.TB the upstream test server needs, outside `go test`.
type harnessTB struct {
	mu       sync.Mutex
	log      io.Writer
	dir      string
	failed   bool
	cleanups []func()
}

func (t *harnessTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

func (t *harnessTB) runCleanups() {
	t.mu.Lock()
	fs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

func (t *harnessTB) Error(args ...any)                 { t.Log(args...); t.Fail() }
func (t *harnessTB) Errorf(format string, args ...any) { t.Logf(format, args...); t.Fail() }
func (t *harnessTB) Fail()                             { t.mu.Lock(); t.failed = true; t.mu.Unlock() }
func (t *harnessTB) FailNow()                          { t.Fail(); panic("conformance: apiserver harness failed") }
func (t *harnessTB) Failed() bool                      { t.mu.Lock(); defer t.mu.Unlock(); return t.failed }
func (t *harnessTB) Fatal(args ...any)                 { t.Log(args...); t.FailNow() }
func (t *harnessTB) Fatalf(format string, args ...any) { t.Logf(format, args...); t.FailNow() }
func (t *harnessTB) Helper()                           {}
func (t *harnessTB) Log(args ...any)                   { fmt.Fprintln(t.log, args...) }
func (t *harnessTB) Logf(format string, args ...any)   { fmt.Fprintf(t.log, format+"\n", args...) }
func (t *harnessTB) Name() string                      { return "conformance" }
func (t *harnessTB) Setenv(key, value string)          { os.Setenv(key, value) }
func (t *harnessTB) Skip(args ...any)                  { t.Log(args...) }
func (t *harnessTB) SkipNow()                          {}
func (t *harnessTB) Skipf(format string, args ...any)  { t.Logf(format, args...) }
func (t *harnessTB) Skipped() bool                     { return false }
func (t *harnessTB) TempDir() string {
	d, err := os.MkdirTemp(t.dir, "tmp-")
	if err != nil {
		panic(err)
	}
	return d
}
