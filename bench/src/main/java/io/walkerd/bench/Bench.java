package io.walkerd.bench;

import io.walkerd.bench.run.GraphBench;
import io.walkerd.bench.run.JfrSummary;
import io.walkerd.bench.run.JfrWaits;
import io.walkerd.bench.run.Suite;
import io.walkerd.bench.server.BareJavalin;
import io.walkerd.server.Config;
import io.walkerd.server.WalkerdServer;

import java.nio.file.Path;
import java.util.Arrays;

/** The bench jar's commands: the suite, the graph rows, the servers they start, and the JFR summary. */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "run" -> Suite.main(rest);
            case "graph" -> GraphBench.main(rest);
            case "serve-walkerd" -> {
                WalkerdServer server = WalkerdServer.start(Config.fromEnvironment());
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "walkerd-shutdown"));
            }
            case "serve-javalin" -> BareJavalin.start(Integer.parseInt(System.getenv().getOrDefault("PORT", "18430")));
            case "jfr-summary" -> System.out.print(JfrSummary.summarize(Path.of(rest[0]), rest.length > 1 ? Integer.parseInt(rest[1]) : 25));
            case "jfr-waits" -> System.out.print(JfrWaits.summarize(Path.of(rest[0]), rest.length > 1 ? Integer.parseInt(rest[1]) : 15));
            default -> {
                System.out.println("""
                        usage: java -jar walkerd-bench.jar COMMAND
                          run [--quick] [--profile] [--name NAME] [--servers walkerd,node-ws,socket.io,javalin-bare]
                              [--scenarios memory,channel-fanout,multi-channel,user-notify,self-progress,walker-rest,
                                           connect,cross-instance,three-instance,metrics,history-fanout,recovery,presence]
                              [--ns 100,1000,10000] [--rates 10,30,60] [--memory-n N] [--connect-n N]
                              [--warmup S] [--measure S] [--rate-measure S] [--server-warmup S] [--root BENCH_DIR]
                                               every scenario against every server (bench/run.sh); scenarios:
                                 memory          heap and RSS per idle connection
                                 channel-fanout  one channel of N, at max rate and at --rates msgs/s (N = 1,000)
                                 multi-channel   30 channels of 50; each event names all 30 (1,500 deliveries)
                                 user-notify     REST walker notifying one of N users
                                 self-progress   websocket walker with 3 notifySelf + response
                                 walker-rest     bench_hello (and bench_node with users) over N HTTP connections
                                 connect         --connect-n connections (10,000; quick 1,000), 100 in flight:
                                                 conn/s and latency to the connection frame
                                 cross-instance  channel-fanout, publisher on one instance, members on another
                                 three-instance  3 instances, Redis, 3,000 connections, 180,000 deliveries checked
                                                 for exactly-once and per-publisher order
                                 metrics         walkerd with METRICS_ENABLED=false and true: fan-out, bench_hello
                                 history-fanout, recovery, presence: protocol 2 (walkerd only)
                          graph [--quick] [--profile] [--backends sqlite,mongodb] [--parts app,store] [--rounds R] [--warmup S] [--measure S]
                                [--server-warmup S] [--app WALKERD_JAR] [--name NAME] [--root BENCH_DIR]
                                               the persistence rows (bench/graph.sh): the example application's walkers
                                               on a 10,000-task board, bench walkers at N = 100, both store backends
                          serve-walkerd        walkerd with the bench walkers, configured from the environment
                          serve-javalin        the bare Javalin handler on $PORT
                          jfr-summary FILE [N] hot methods of a JFR recording
                          jfr-waits FILE [N]   where a JFR recording's threads wait: contended monitors, parks, native code""");
                if (!command.equals("help")) System.exit(2);
            }
        }
    }
}
