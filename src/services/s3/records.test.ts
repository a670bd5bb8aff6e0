import { describe, expect, it } from 'vitest';
import { loadModel } from '../../protocol/model.js';
import { parseXml } from '../../protocol/xml.js';
import { requestParameters, xmlAsJson } from './records.js';

const s3 = loadModel('s3');

describe('S3 requestParameters', () => {
  it('turns an XML body into JSON the way CloudTrail shows it', () => {
    const xml = parseXml('<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>StratusRedTeam</Key><Value>true</Value></Tag></TagSet></Tagging>');
    expect(xmlAsJson(xml)).toEqual({ xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', TagSet: { Tag: { Key: 'StratusRedTeam', Value: true } } });
    const many = parseXml('<L><Rule><Days>1</Days></Rule><Rule><Days>2</Days></Rule></L>');
    expect(xmlAsJson(many)).toEqual({ Rule: [{ Days: 1 }, { Days: 2 }] });
  });

  it('names the bucket, key, host, sub-resource flags, query parameters and body', () => {
    const putTagging = s3.operations.get('PutBucketTagging')!;
    expect(requestParameters(putTagging, { Bucket: 'b', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }, 'b.s3.amazonaws.com')).toEqual({
      tagging: '', bucketName: 'b', Host: 'b.s3.amazonaws.com',
      Tagging: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', TagSet: { Tag: { Key: 'k', Value: 'v' } } },
    });
    const list = s3.operations.get('ListObjectsV2')!;
    expect(requestParameters(list, { Bucket: 'b', Prefix: 'logs/', MaxKeys: 10 }, 'h')).toEqual({
      'list-type': '2', prefix: 'logs/', 'max-keys': '10', bucketName: 'b', Host: 'h',
    });
    const policy = s3.operations.get('PutBucketPolicy')!;
    expect(requestParameters(policy, { Bucket: 'b', Policy: '{"Version":"2012-10-17"}' }, 'h')).toEqual({ policy: '', bucketName: 'b', Host: 'h', bucketPolicy: { Version: '2012-10-17' } });
    const deletes = s3.operations.get('DeleteObjects')!;
    expect(requestParameters(deletes, { Bucket: 'b', Delete: { Objects: [{ Key: 'secret-name' }] } }, 'h')).toEqual({ delete: '', bucketName: 'b', Host: 'h' });
    const put = s3.operations.get('PutObject')!;
    expect(requestParameters(put, { Bucket: 'b', Key: 'a/b', ACL: 'bucket-owner-full-control', Body: Buffer.from('x') }, 'h')).toEqual({
      bucketName: 'b', key: 'a/b', 'x-amz-acl': 'bucket-owner-full-control', Host: 'h',
    });
  });
});
