package dev.gantry.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.api.GroupDoc;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.Strategy;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sharing groups through the SDK: made, listed, a function shared with one, members refused when unknown. */
class ClientGroupsTest {

    @Test
    void aGroupIsMadeListedAndSharedWithAndAnUnknownMemberIsRefused() throws Exception {
        try (InProcessGantry gantry = new InProcessGantry()) {
            Client client = gantry.client;
            GroupDoc lab = client.createGroup("lab");
            assertThat(lab.members()).hasSize(1);
            assertThat(client.getGroups()).extracting(GroupDoc::groupId).containsExactly(lab.groupId());
            FunctionRegistration fn = new FunctionRegistration(
                            "shared", Buffers.pack(List.of(Strategy.SHELL.tag("{\"cmd\":\"true\"}"))), null, null)
                    .sharedWith(lab.groupId());
            assertThat(client.getFunction(client.register(fn)).functionName()).isEqualTo("shared");
            GantryException nobody = catchThrowableOfType(
                    GantryException.class, () -> client.addGroupMember(lab.groupId(), "nobody+x@example.org"));
            assertThat(nobody.code()).isEqualTo(ApiError.IDENTITY_NOT_FOUND);
            GantryException stranger = catchThrowableOfType(
                    GantryException.class, () -> client.register(fn.sharedWith(UUID.randomUUID())));
            assertThat(stranger.code()).isEqualTo(ApiError.GROUP_NOT_FOUND);
        }
    }
}
