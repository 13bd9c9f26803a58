/**
 * jac-cloud's conformance pack: the node types and walkers of jac-cloud's {@code simple_graph.jac} that its
 * {@code test_simple_graph.py} flows call, with the same names, fields and behaviour, grouped by flow. Served only
 * with {@code WALKERD_CONFORMANCE=true}: several of its walkers need no token and write to the public root.
 */
@EnabledBy("WALKERD_CONFORMANCE")
package io.walkerd.conformance;

import io.walkerd.walker.EnabledBy;
