//go:build !linux

package main

import "syscall"

// sysProcAttr: only Linux can tie a child's life to its parent; elsewhere
// the harness relies on its own cleanup.
func sysProcAttr() *syscall.SysProcAttr { return nil }
