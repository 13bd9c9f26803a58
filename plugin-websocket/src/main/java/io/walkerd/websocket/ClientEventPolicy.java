package io.walkerd.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.walkerd.auth.Principal;

import java.util.List;

/**
 * Whether a connection may send a {@code user}, {@code channel} or {@code client} event: {@code SOCKET_CLIENT_EVENTS}
 * (open, authenticated, off), {@code SOCKET_MAX_TARGETS} ids per event, and, for channels, the {@link ChannelGate}.
 * A refused event is refused whole: nothing of it is delivered, and the sender gets an error frame saying which
 * rule refused it.
 */
final class ClientEventPolicy {
    private final ProtectionSettings.ClientEvents mode;
    private final int maxTargets;
    private final ChannelGate channels;

    ClientEventPolicy(ProtectionSettings.ClientEvents mode, int maxTargets, ChannelGate channels) {
        this.mode = mode;
        this.maxTargets = maxTargets;
        this.channels = channels;
    }

    /**
     * Why this event may not be delivered, or null when it may.
     *
     * @param type     {@code user}, {@code channel} or {@code client}
     * @param idsField the event's id list field ({@code root_ids}, ...)
     * @param ids      that list as sent (already checked to be a list of strings)
     */
    Replies.Problem refusal(Principal sender, String type, String idsField, JsonNode ids) {
        switch (mode) {
            case OFF -> {
                return Replies.Problem.of("client_events_off", "type", type + " events from clients are turned off on this server ("
                        + mode.setting() + "); only walkers send notifications");
            }
            case AUTHENTICATED -> {
                if (sender.isPublic()) {
                    return Replies.Problem.of("client_events_authenticated", "type", "a connection without a user may not send "
                            + type + " events (" + mode.setting() + "); authenticate first (a token, or change_user)");
                }
            }
            case OPEN -> { }
        }
        if (maxTargets > 0 && ids.size() > maxTargets) {
            return Replies.Problem.of("too_many_targets", idsField, "at most " + maxTargets + " ids per event (SOCKET_MAX_TARGETS), this one has "
                    + ids.size() + "; nothing was sent");
        }
        if ("channel".equals(type)) {
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i).asText();
                if (!channels.mayPublish(sender, id)) {
                    return new Replies.Problem("channel_forbidden", List.of(idsField, i), channels.refusal(id, false) + "; nothing was sent");
                }
            }
        }
        return null;
    }
}
