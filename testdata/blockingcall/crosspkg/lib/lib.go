// Package lib is a helper library that does not import the runtime: its
// blocking reaches tasks only through mayBlock facts.
package lib

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// Fetch reaches net/http.Get through get.
func Fetch(url string) string { // want Fetch:"mayBlock\\(Fetch -> get -> net/http\\.Get\\)"
	return get(url)
}

func get(url string) string { // want get:"mayBlock\\(get -> net/http\\.Get\\)"
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// Client has a blocking method.
type Client struct{ mu sync.Mutex }

func (c *Client) Retry() { // want Retry:"mayBlock\\(\\(\\*Client\\)\\.Retry -> time\\.Sleep\\)"
	time.Sleep(time.Millisecond)
}

// Count only takes a lock: tier 2.
func (c *Client) Count() int { // want Count:"mayBlock\\(tier2: \\(\\*Client\\)\\.Count -> \\(\\*sync\\.Mutex\\)\\.Lock\\)"
	c.mu.Lock()
	defer c.mu.Unlock()
	return 1
}

// Pure blocks nowhere.
func Pure(a, b int) int { return a + b }

// Background blocks only on another goroutine.
func Background() {
	go time.Sleep(time.Second)
	go func() { time.Sleep(time.Second) }()
}

// Wait receives from a channel.
func Wait(done chan struct{}) { // want Wait:"mayBlock\\(Wait -> channel receive\\)"
	<-done
}
