package io.walkerd.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * The {@code schedule} of a walker document (jac-cloud's layout): where a task, an async call or a scheduled run
 * stands, and once it ran, its outcome.
 *
 * @param status       {@link #PENDING}, {@link #STARTED}, {@link #COMPLETED} or {@link #ERROR}
 * @param nodeId       ref id of the node the walker runs on; null for its owner's root
 * @param rootId       ref id of the root it runs as ({@code n::<hex>}); null for the document's owner
 * @param executeDate  when it may run at the earliest; null for at once
 * @param executedDate when it started
 * @param httpStatus   the status the call would have answered
 * @param returns      the abilities' return values (kept when the server shows returns), or null
 * @param reports      what it reported, or null before it ran
 * @param custom       the body it set with {@code body(...)}, or null
 * @param error        why it failed, in words; null unless {@link #ERROR}
 */
public record ScheduleState(String status, String nodeId, String rootId, Instant executeDate, Instant executedDate,
                       Integer httpStatus, JsonNode returns, JsonNode reports, JsonNode custom, List<String> error) {
    public static final String PENDING = "PENDING";
    public static final String STARTED = "STARTED";
    public static final String COMPLETED = "COMPLETED";
    public static final String ERROR = "ERROR";

    public ScheduleState {
        error = error == null ? null : List.copyOf(error);
    }

    /** A task that waits to run on {@code nodeId} as {@code rootId}, not before {@code executeDate} (null: at once). */
    public static ScheduleState pending(String nodeId, String rootId, Instant executeDate) {
        return new ScheduleState(PENDING, nodeId, rootId, executeDate, null, null, null, null, null, null);
    }

    /** This schedule as it ended well, keeping where and when it ran. */
    public ScheduleState completed(int httpStatus, JsonNode returns, JsonNode reports, JsonNode custom) {
        return new ScheduleState(COMPLETED, nodeId, rootId, executeDate, executedDate, httpStatus, returns, reports, custom, null);
    }

    /** This schedule as it failed, keeping where and when it ran. */
    public ScheduleState failed(int httpStatus, String why) {
        return new ScheduleState(ERROR, nodeId, rootId, executeDate, executedDate, httpStatus, null, null, null, List.of(why));
    }

    /** This schedule as it started at {@code at}. */
    public ScheduleState started(Instant at) {
        return new ScheduleState(STARTED, nodeId, rootId, executeDate, at, httpStatus, returns, reports, custom, error);
    }
}
