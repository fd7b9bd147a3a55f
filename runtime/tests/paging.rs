//! Paginators against a loopback server: each rule pages through to its end sending the right
//! position, string-typed members are sent as strings, `max_items` stops asking, and pages that
//! do not advance end the listing with an error instead of a loop.

mod support;

use serde_json::{Value, json};
use support::server::{Fault, SECRET_ID, SECRET_KEY, Server};
use tencentcloud_runtime::__private::{Paging, PagingRule, ServiceVersion};
use tencentcloud_runtime::error::ResponseErrorKind;
use tencentcloud_runtime::{
    CallOptions, Client, Config, Credentials, Paginator, SdkError, ServiceError,
};

const SERVICE: ServiceVersion = ServiceVersion {
    service: "cvm",
    version: "2017-03-12",
    region_required: false,
};

static OFFSET: Paging = Paging {
    rule: PagingRule::Offset,
    position: &["Offset"],
    position_as_text: false,
    size: Some(&["Limit"]),
    size_as_text: false,
    items: &["InstanceSet"],
    total: Some(&["TotalCount"]),
};

static TEXT_OFFSET: Paging = Paging {
    position: &["Filter", "Offset"],
    position_as_text: true,
    size: Some(&["Filter", "Limit"]),
    size_as_text: true,
    ..OFFSET
};

static PAGE: Paging = Paging {
    rule: PagingRule::Page { first: 1 },
    position: &["PageNumber"],
    position_as_text: false,
    size: Some(&["PageSize"]),
    size_as_text: false,
    items: &["Result", "List"],
    total: None,
};

static TOKEN: Paging = Paging {
    rule: PagingRule::Token {
        next: &["NextToken"],
    },
    position: &["NextToken"],
    position_as_text: false,
    size: Some(&["MaxResults"]),
    size_as_text: false,
    items: &["Items"],
    total: None,
};

fn items_of(paging: &'static Paging) -> fn(Value) -> Vec<Value> {
    if std::ptr::eq(paging, &PAGE) {
        |page| {
            page["Result"]["List"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }
    } else if std::ptr::eq(paging, &TOKEN) {
        |page| page["Items"].as_array().cloned().unwrap_or_default()
    } else {
        |page| page["InstanceSet"].as_array().cloned().unwrap_or_default()
    }
}

fn paginator(
    server: &Server,
    paging: &'static Paging,
    request: Value,
) -> Paginator<Value, Value, ServiceError> {
    let config = Config::builder()
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY).unwrap())
        .endpoint(server.endpoint())
        .region("ap-guangzhou")
        .build()
        .unwrap();
    SERVICE.paginate(
        None,
        Client::new(&config),
        "DescribeInstances",
        CallOptions::default(),
        Ok(request),
        paging,
        items_of(paging),
    )
}

fn page(ids: &[&str], total: u64) -> Fault {
    let set: Vec<Value> = ids.iter().map(|id| json!({"InstanceId": id})).collect();
    Fault::ok(json!({"TotalCount": total, "InstanceSet": set}))
}

async fn all_items(
    paginator: Paginator<Value, Value, ServiceError>,
) -> Result<Vec<String>, SdkError<ServiceError>> {
    let mut items = paginator.items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        let item = item?;
        ids.push(
            item.get("InstanceId")
                .or_else(|| item.get("Id"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        );
    }
    Ok(ids)
}

fn bodies(server: &Server) -> Vec<Value> {
    server
        .received()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn offsets_advance_by_the_items_read_until_the_total() {
    let server = Server::start(
        "cvm",
        vec![page(&["a", "b"], 5), page(&["c", "d"], 5), page(&["e"], 5)],
    )
    .await;
    let ids = all_items(paginator(&server, &OFFSET, json!({"Filters": []})).page_size(2))
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let offsets: Vec<Value> = bodies(&server)
        .iter()
        .map(|b| b["Offset"].clone())
        .collect();
    assert_eq!(
        offsets,
        [json!(0), json!(2), json!(4)],
        "no page asked for after the total"
    );
    assert!(
        bodies(&server)
            .iter()
            .all(|b| b["Limit"] == json!(2) && b["Filters"] == json!([]))
    );
}

#[tokio::test]
async fn string_typed_members_are_sent_as_strings_inside_their_object() {
    let server = Server::start("cvm", vec![page(&["a"], 2), page(&["b"], 2)]).await;
    let ids = all_items(paginator(&server, &TEXT_OFFSET, json!({})).page_size(1))
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b"]);
    let filters: Vec<Value> = bodies(&server)
        .iter()
        .map(|b| b["Filter"].clone())
        .collect();
    assert_eq!(
        filters,
        [
            json!({"Offset": "0", "Limit": "1"}),
            json!({"Offset": "1", "Limit": "1"})
        ]
    );
}

#[tokio::test]
async fn page_numbers_count_from_the_first_page_until_an_empty_page() {
    let list = |ids: &[&str]| {
        let list: Vec<Value> = ids.iter().map(|id| json!({"Id": id})).collect();
        Fault::ok(json!({"Result": {"List": list}}))
    };
    let server = Server::start("cvm", vec![list(&["a", "b"]), list(&["c"]), list(&[])]).await;
    let ids = all_items(paginator(&server, &PAGE, json!({})))
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    let numbers: Vec<Value> = bodies(&server)
        .iter()
        .map(|b| b["PageNumber"].clone())
        .collect();
    assert_eq!(numbers, [json!(1), json!(2), json!(3)]);
}

#[tokio::test]
async fn tokens_are_sent_back_until_the_answer_gives_none() {
    let items = |ids: &[&str], next: &str| {
        let items: Vec<Value> = ids.iter().map(|id| json!({"Id": id})).collect();
        Fault::ok(json!({"Items": items, "NextToken": next}))
    };
    let server = Server::start(
        "cvm",
        vec![items(&["a"], "t1"), items(&["b"], "t2"), items(&["c"], "")],
    )
    .await;
    let ids = all_items(paginator(&server, &TOKEN, json!({})))
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    let tokens: Vec<Value> = bodies(&server)
        .iter()
        .map(|b| b["NextToken"].clone())
        .collect();
    assert_eq!(tokens, [Value::Null, json!("t1"), json!("t2")]);
}

#[tokio::test]
async fn max_items_stops_asking_for_pages() {
    let server = Server::start("cvm", vec![page(&["a", "b"], 100), page(&["c", "d"], 100)]).await;
    let ids = all_items(paginator(&server, &OFFSET, json!({})).max_items(3))
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn pages_that_do_not_advance_end_the_listing_with_an_error() {
    fn stalled(result: Result<Vec<String>, SdkError<ServiceError>>) -> String {
        match result {
            Err(SdkError::Response(error)) => {
                assert_eq!(error.kind(), ResponseErrorKind::PagesStalled, "{error}");
                error.to_string()
            }
            other => panic!("expected the listing to stall, got {other:?}"),
        }
    }
    // A server ignoring `Offset` sends the first page again.
    let server = Server::start("cvm", vec![page(&["a", "b"], 10), page(&["a", "b"], 10)]).await;
    let text = stalled(all_items(paginator(&server, &OFFSET, json!({}))).await);
    assert!(
        text.contains("same items") && text.contains("`Offset`"),
        "{text}"
    );
    assert_eq!(server.received().len(), 2);

    let server = Server::start("cvm", vec![page(&["a"], 10), page(&[], 10)]).await;
    let text = stalled(all_items(paginator(&server, &OFFSET, json!({}))).await);
    assert!(text.contains("counts 10 items and 1 were read"), "{text}");

    let items = |id: &str| Fault::ok(json!({"Items": [{"Id": id}], "NextToken": "same"}));
    let server = Server::start("cvm", vec![items("a"), items("b")]).await;
    let text = stalled(all_items(paginator(&server, &TOKEN, json!({}))).await);
    assert!(text.contains("gives back the token"), "{text}");
}

#[tokio::test]
async fn pages_give_each_answer_in_order() {
    let server = Server::start("cvm", vec![page(&["a"], 2), page(&["b"], 2)]).await;
    let mut pages = paginator(&server, &OFFSET, json!({})).pages();
    let mut totals = Vec::new();
    while let Some(page) = pages.next().await {
        totals.push(page.unwrap()["TotalCount"].clone());
    }
    assert_eq!(totals, [json!(2), json!(2)]);
}
