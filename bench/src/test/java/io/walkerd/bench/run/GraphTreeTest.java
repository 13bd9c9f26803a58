package io.walkerd.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkerd.graph.Id;
import io.walkerd.store.EdgeRecord;
import io.walkerd.store.NodeRecord;
import io.walkerd.store.Store;
import io.walkerd.store.Store.Exported;
import io.walkerd.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphTreeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "2fc95d3d5323c388a70383c9";
    private static final String ACCESS = "\"access\":{\"all\":\"NO_ACCESS\",\"roots\":{\"anchors\":{}}}";

    /** What the example application leaves after register, create_project and one add_task (an export of it). */
    static List<Exported> template() throws Exception {
        String[][] docs = {
                {"node", "{\"_id\":\"000000000000000000000000\",\"name\":\"\",\"root\":\"000000000000000000000000\"," + ACCESS + ",\"edges\":[],\"archetype\":{},\"version\":1}"},
                {"node", "{\"_id\":\"" + ROOT + "\",\"name\":\"\",\"root\":\"" + ROOT + "\"," + ACCESS + ",\"edges\":[\"e:GenericEdge:a6d7cc2eb1b50d90bbc232c4\"],\"archetype\":{},\"version\":2}"},
                {"node", "{\"_id\":\"930dfdf19f2e95fac4899b9a\",\"name\":\"Project\",\"root\":\"" + ROOT + "\"," + ACCESS + ",\"edges\":[\"e:GenericEdge:a6d7cc2eb1b50d90bbc232c4\",\"e:Holds:afb1757c54d0f6f578cb86fb\"],\"archetype\":{\"name\":\"template\",\"tags\":[],\"settings\":{}},\"version\":2}"},
                {"node", "{\"_id\":\"d79fcd106bccb8fca68e0f3f\",\"name\":\"Task\",\"root\":\"" + ROOT + "\"," + ACCESS + ",\"edges\":[\"e:Holds:afb1757c54d0f6f578cb86fb\"],\"archetype\":{\"title\":\"t0\",\"priority\":\"MEDIUM\",\"done\":false,\"labels\":[\"a\"],\"meta\":{\"k\":0},\"schedule\":{\"due\":null,\"estimate_hours\":0},\"checklist\":[{\"text\":\"x\",\"done\":false}]},\"version\":1}"},
                {"edge", "{\"_id\":\"a6d7cc2eb1b50d90bbc232c4\",\"name\":\"GenericEdge\",\"root\":\"" + ROOT + "\"," + ACCESS + ",\"source\":\"n::" + ROOT + "\",\"target\":\"n:Project:930dfdf19f2e95fac4899b9a\",\"is_undirected\":false,\"archetype\":{},\"version\":1}"},
                {"edge", "{\"_id\":\"afb1757c54d0f6f578cb86fb\",\"name\":\"Holds\",\"root\":\"" + ROOT + "\"," + ACCESS + ",\"source\":\"n:Project:930dfdf19f2e95fac4899b9a\",\"target\":\"n:Task:d79fcd106bccb8fca68e0f3f\",\"is_undirected\":false,\"archetype\":{\"position\":0},\"version\":1}"},
                {"user", "{\"_id\":\"8439bd774bf03c29b60073a9\",\"email\":\"owner@bench.walkerd.io\",\"password\":\"$pbkdf2-sha512$25000$x$y\",\"root_id\":\"" + ROOT + "\",\"is_activated\":true,\"is_admin\":false,\"token_version\":0}"},
        };
        List<Exported> out = new ArrayList<>();
        for (String[] d : docs) out.add(new Exported(d[0], (ObjectNode) JSON.readTree(d[1])));
        return out;
    }

    @Test
    void clonesTheTemplateIntoABoardWhoseEveryEdgeResolvesInAStore() throws Exception {
        GraphTree.Built built = GraphTree.build(template(), "owner@bench.walkerd.io", 3, 4);
        assertThat(built.nodes()).isEqualTo(1 + 1 + 3 + 3 * 4); // the store's root, the owner's root, projects, tasks
        assertThat(built.edges()).isEqualTo(3 + 3 * 4);
        assertThat(built.rootId()).isEqualTo(ROOT);
        assertThat(built.projectRefs()).hasSize(3).allMatch(r -> r.startsWith("n:Project:be7c"));
        Set<String> ids = new HashSet<>();
        for (Exported e : built.documents()) assertThat(ids.add(e.collection() + e.document().path("_id").asText())).isTrue();

        try (Store store = SqliteStore.inMemory()) {
            store.importAll(built.documents());
            NodeRecord root = store.nodes(List.of(Id.of(ROOT))).get(0);
            assertThat(root.edges()).hasSize(3);
            int tasks = 0;
            for (int i = 0; i < 3; i++) {
                EdgeRecord toProject = store.edges(List.of(id(root.edges().get(i)))).get(0);
                assertThat(toProject.target()).isEqualTo(built.projectRefs().get(i));
                NodeRecord project = store.nodes(List.of(id(toProject.target()))).get(0);
                assertThat(project.archetype().path("name").asText()).isEqualTo("project " + i);
                assertThat(project.edges()).hasSize(1 + 4).first().isEqualTo(root.edges().get(i));
                for (int j = 0; j < 4; j++) {
                    EdgeRecord holds = store.edges(List.of(id(project.edges().get(1 + j)))).get(0);
                    assertThat(holds.name()).isEqualTo("Holds");
                    assertThat(holds.archetype().path("position").asInt()).isEqualTo(j);
                    assertThat(holds.source()).isEqualTo(built.projectRefs().get(i));
                    NodeRecord task = store.nodes(List.of(id(holds.target()))).get(0);
                    assertThat(task.archetype().path("title").asText()).isEqualTo("task " + i + "." + j);
                    assertThat(task.archetype().path("checklist").size()).isEqualTo(1);
                    assertThat(task.edges()).containsExactly(project.edges().get(1 + j));
                    assertThat(task.root().hex()).isEqualTo(ROOT);
                    assertThat(task.version()).isEqualTo(1);
                    tasks++;
                }
            }
            assertThat(tasks).isEqualTo(12);
            assertThat(store.userByEmail("owner@bench.walkerd.io")).isPresent();
        }
    }

    @Test
    void refusesATemplateWithoutTheOwner() throws Exception {
        assertThatThrownBy(() -> GraphTree.build(template(), "someone@else.io", 1, 1)).hasMessageContaining("no user");
    }

    /** The id part of a ref id ({@code n:Type:<id>}, {@code e:Type:<id>}, {@code n::<id>}). */
    private static Id id(String ref) { return Id.of(ref.substring(ref.lastIndexOf(':') + 1)); }
}
