package dev.weft.graph;

/**
 * One call a linker found in a trace: from the calling service to the called one (service names
 * as the model names them, or entity ids), whether it failed, and the span that stands for it (its
 * time and latency place the call in a window).
 */
record CallLink(String from, String to, boolean error, TraceSpan at, TraceSpan client) {}
